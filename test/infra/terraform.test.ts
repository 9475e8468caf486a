import { readdirSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tableDefinition, TTL_ATTRIBUTE } from "../../src/adapters/dynamodb/tableDefinition.js";
import { CLIENT_SETTINGS, POOL_SETTINGS } from "../../local/cognito/poolSettings.js";
import { readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { EVENT_SCHEMA_DIALECT, EVENT_SCHEMA_DIR } from "../../scripts/generateEventSchemas.js";
import { first, local, readTerraform, resource, TERRAFORM_DIR, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
let tf: TerraformConfig;
beforeAll(async () => {
  tf = await readTerraform();
});

describe("the table", () => {
  it("equals the definition the code creates locally", () => {
    const table = resource(tf, "aws_dynamodb_table", "user_service");
    const code = tableDefinition("any");
    expect(table.billing_mode).toBe(code.BillingMode);
    expect(table.hash_key).toBe(code.KeySchema?.find((k) => k.KeyType === "HASH")?.AttributeName);
    expect(table.range_key).toBe(code.KeySchema?.find((k) => k.KeyType === "RANGE")?.AttributeName);
    expect(table.attribute).toEqual(code.AttributeDefinitions?.map((a) => ({ name: a.AttributeName, type: a.AttributeType })));
    expect(table.global_secondary_index).toEqual(
      code.GlobalSecondaryIndexes?.map((index) => ({
        name: index.IndexName,
        hash_key: index.KeySchema?.find((k) => k.KeyType === "HASH")?.AttributeName,
        range_key: index.KeySchema?.find((k) => k.KeyType === "RANGE")?.AttributeName,
        projection_type: index.Projection?.ProjectionType,
        ...(index.Projection?.NonKeyAttributes ? { non_key_attributes: index.Projection.NonKeyAttributes } : {}),
      })),
    );
    expect(table.stream_enabled).toBe(code.StreamSpecification?.StreamEnabled);
    expect(table.stream_view_type).toBe(code.StreamSpecification?.StreamViewType);
    expect(first(table.ttl)).toEqual({ attribute_name: TTL_ATTRIBUTE, enabled: true });
    expect(first(table.point_in_time_recovery)).toEqual({ enabled: true });
  });
});

describe("Cognito", () => {
  it("has the seed's pool settings, as the local pool does", () => {
    const pool = resource(tf, "aws_cognito_user_pool", "main");
    expect(pool.username_attributes).toEqual(["email"]);
    expect(pool.auto_verified_attributes).toEqual(["email"]);
    const policy = first(pool.password_policy);
    expect(policy).toMatchObject({
      minimum_length: 12,
      require_lowercase: true,
      require_numbers: true,
      require_symbols: true,
      require_uppercase: true,
    });
    const local = POOL_SETTINGS.Policies.PasswordPolicy;
    expect(policy).toMatchObject({
      minimum_length: local.MinimumLength,
      temporary_password_validity_days: local.TemporaryPasswordValidityDays,
    });
    expect(pool.username_attributes).toEqual(POOL_SETTINGS.UsernameAttributes);
    expect(first(pool.username_configuration)).toEqual({ case_sensitive: POOL_SETTINGS.UsernameConfiguration.CaseSensitive });
    expect(first(pool.schema)).toMatchObject({ name: "email", attribute_data_type: "String", required: true, mutable: true });
    expect(first(pool.user_attribute_update_settings)).toEqual({ attributes_require_verification_before_update: ["email"] });
  });

  it("wires PreSignUp and PostConfirmation to the Serverless functions", () => {
    const triggers = first(resource(tf, "aws_cognito_user_pool", "main").lambda_config);
    expect(triggers).toEqual({
      pre_sign_up: '${local.lambda_arn["preSignUp"]}',
      post_confirmation: '${local.lambda_arn["postConfirmation"]}',
    });
  });

  it("has the seed's client: no secret, its flows and lifetimes, no user-existence errors", () => {
    const client = resource(tf, "aws_cognito_user_pool_client", "main");
    expect(client).toMatchObject({
      generate_secret: false,
      explicit_auth_flows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      access_token_validity: 1,
      id_token_validity: 1,
      refresh_token_validity: 30,
      prevent_user_existence_errors: "ENABLED",
    });
    expect(client.explicit_auth_flows).toEqual(CLIENT_SETTINGS.ExplicitAuthFlows);
    expect(first(client.token_validity_units)).toEqual({ access_token: "hours", id_token: "hours", refresh_token: "days" });
    expect(client.prevent_user_existence_errors).toBe(CLIENT_SETTINGS.PreventUserExistenceErrors);
  });
});

describe("names shared with serverless.yml", () => {
  it("lists the same functions", () => {
    const names = readServerlessFunctions(ROOT).map((f) => f.name);
    expect([...(local(tf, "functions") as string[])].sort()).toEqual([...names].sort());
  });

  it("writes every SSM parameter serverless.yml reads", () => {
    const yml = readFileSync(resolve(ROOT, "serverless.yml"), "utf8");
    const read = [...yml.matchAll(/Default: \/user-service\/\$\{sls:stage\}\/([a-z-]+)/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(10);
    const written = Object.keys(local(tf, "ssm_parameters") as Record<string, string>);
    for (const name of read) expect(written, name).toContain(name);
    expect(resource(tf, "aws_ssm_parameter", "service").name).toBe("${local.ssm_prefix}/${each.key}");
    expect(local(tf, "ssm_prefix")).toBe("/${local.service}/${var.stage}");
  });

  it("names the sign-up retry queue as serverless.yml's event source expects", () => {
    expect(resource(tf, "aws_sqs_queue", "signup_retry").name).toBe("${local.name_prefix}-signup-retry");
    expect(local(tf, "name_prefix")).toBe("${var.stage}-${local.service}");
  });
});

describe("EventBridge", () => {
  it("reads its rules from the file the local bus reads, with a retry policy and the DLQ on every target", () => {
    const rules = local(tf, "event_rules") as string;
    expect(rules).toContain('jsondecode(file("${path.module}/../infra/event-rules.json"))');
    expect(resource(tf, "aws_cloudwatch_event_rule", "rules").event_pattern).toBe("${jsonencode(each.value.pattern)}");
    const target = resource(tf, "aws_cloudwatch_event_target", "targets");
    expect(target.for_each).toBe("${local.event_rules}");
    expect(first(target.retry_policy)).toMatchObject({ maximum_retry_attempts: expect.any(Number) });
    expect(first(target.dead_letter_config)).toEqual({ arn: "${aws_sqs_queue.events_dlq.arn}" });
    expect(local(tf, "lambda_rule_targets")).toEqual({ "cognito-sync": "cognitoSync" });
  });

  it("keeps dead letters 14 days, and archives the bus", () => {
    expect(resource(tf, "aws_sqs_queue", "events_dlq").message_retention_seconds).toBe(1209600);
    expect(resource(tf, "aws_sqs_queue", "relay_failures").message_retention_seconds).toBe(1209600);
    expect(resource(tf, "aws_cloudwatch_event_archive", "user_service").event_source_arn).toBe(
      "${aws_cloudwatch_event_bus.user_service.arn}",
    );
    expect(resource(tf, "aws_cloudwatch_event_bus", "user_service").name).toBe("${local.name_prefix}");
  });
});

describe("the event schema registry", () => {
  it("is per stage and holds one JSONSchemaDraft4 schema per committed file, named <source>@<detail-type>", () => {
    expect(resource(tf, "aws_schemas_registry", "events").name).toBe("${local.name_prefix}");
    const schema = resource(tf, "aws_schemas_schema", "events");
    expect(schema).toMatchObject({
      type: "JSONSchemaDraft4",
      registry_name: "${aws_schemas_registry.events.name}",
      for_each: '${fileset(local.event_schema_dir, "*.json")}',
      name: '${local.service}@${trimsuffix(each.value, ".json")}',
      content: '${file("${local.event_schema_dir}/${each.value}")}',
    });
    expect(local(tf, "event_schema_dir")).toBe(`\${path.module}/${relative(TERRAFORM_DIR, EVENT_SCHEMA_DIR)}`);
  });

  it("is fed only draft-04 files, each small enough for the registry", () => {
    const files = readdirSync(EVENT_SCHEMA_DIR);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file).toMatch(/\.json$/);
      const content = readFileSync(resolve(EVENT_SCHEMA_DIR, file), "utf8");
      const schema = JSON.parse(content) as { $schema?: string; description?: string };
      expect(schema.$schema, file).toBe(EVENT_SCHEMA_DIALECT);
      expect(content.length, file).toBeLessThanOrEqual(100_000);
      expect(schema.description?.length ?? 0, file).toBeLessThanOrEqual(256);
    }
  });
});

describe("the GitHub deploy role", () => {
  type Condition = { test: string; variable: string; values: string[] };
  type Statement = { sid?: string; effect?: string; actions: string[]; resources: string[]; condition?: Condition[] };
  const policyDocument = (name: string) => (tf.data.aws_iam_policy_document?.[name]?.[0] ?? { statement: [] }) as { statement: Statement[] };
  const deployStatements = () => policyDocument("github_deploy").statement;
  const BOUNDARY_ARN = "${aws_iam_policy.function_boundary.arn}";
  const boundaryCondition = { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY_ARN] };

  it("is one role per stage, trusted only for its GitHub environment: StringEquals on the exact subject, no wildcard", () => {
    const oidcRoles = Object.entries(tf.resource.aws_iam_role ?? {}).filter(([, [body]]) =>
      JSON.stringify(body).includes("github_deploy_trust"),
    );
    expect(oidcRoles.map(([name]) => name)).toEqual(["github_deploy"]);
    const role = resource(tf, "aws_iam_role", "github_deploy");
    expect(role.count).toBeUndefined();
    expect(role.for_each).toBeUndefined();
    expect(role.name).toBe("${local.name_prefix}-github-deploy");
    expect(role.assume_role_policy).toBe("${data.aws_iam_policy_document.github_deploy_trust.json}");

    const trust = policyDocument("github_deploy_trust").statement;
    expect(trust).toHaveLength(1);
    const [statement] = trust;
    expect(statement?.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(JSON.stringify(statement)).toContain("${local.github_oidc_provider_arn}");
    expect(statement?.condition).toEqual(
      expect.arrayContaining([
        { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
        {
          test: "StringEquals",
          variable: "token.actions.githubusercontent.com:sub",
          values: ["repo:${var.github_repository}:environment:${var.github_environment}"],
        },
      ]),
    );
    for (const condition of statement?.condition ?? []) {
      expect(condition.test).toBe("StringEquals");
      for (const value of condition.values) expect(value).not.toContain("*");
    }
    expect(JSON.stringify(tf)).not.toMatch(/StringLike[^}]*token\.actions/);
    expect(JSON.stringify(tf)).not.toMatch(/repo:[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+/);
    expect(tf.variable.github_environment?.[0]).toMatchObject({ type: "${string}" });
  });

  it("names its actions and limits '*' resources to the calls that take none", () => {
    for (const statement of deployStatements()) {
      for (const action of statement.actions) expect(action).not.toMatch(/\*/);
      if (statement.resources.includes("*")) {
        expect(["TemplateValidation", "EventSourceMappings", "KeepRoleBoundaries"]).toContain(statement.sid);
      }
    }
  });

  it("cannot widen a role: every role change requires the function boundary, which it cannot remove or edit", () => {
    const widening = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"];
    const allows = deployStatements().filter((s) => (s.effect ?? "Allow") === "Allow");
    for (const statement of allows) {
      if (statement.actions.some((a) => widening.includes(a))) {
        expect(statement.condition, statement.sid).toEqual([boundaryCondition]);
        expect(statement.resources, statement.sid).toEqual(["${local.function_roles_arn}"]);
      }
    }
    for (const action of widening) expect(allows.some((s) => s.actions.includes(action)), action).toBe(true);
    for (const statement of allows) {
      for (const action of statement.actions) {
        expect(["iam:UpdateAssumeRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]).not.toContain(action);
      }
    }

    const denies = deployStatements().filter((s) => s.effect === "Deny");
    const denied = (action: string, target: string) => denies.some((s) => s.actions.includes(action) && s.resources.includes(target));
    expect(denied("iam:DeleteRolePermissionsBoundary", "*")).toBe(true);
    for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]) {
      expect(denied(action, BOUNDARY_ARN), action).toBe(true);
    }
    for (const action of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"]) {
      expect(denied(action, "${aws_iam_role.github_deploy.arn}"), action).toBe(true);
    }
    expect(local(tf, "function_roles_arn")).toBe("arn:${local.partition}:iam::${local.account_id}:role/${local.service}-${var.stage}-*");
    const passRole = allows.find((s) => s.actions.includes("iam:PassRole"));
    expect(passRole?.condition).toEqual([{ test: "StringEquals", variable: "iam:PassedToService", values: ["lambda.amazonaws.com"] }]);
  });

  it("may apply the stage's throttling after the stack deploys (find the REST API, patch its stage)", () => {
    const allowed = (action: string) => deployStatements().filter((s) => (s.effect ?? "Allow") === "Allow" && s.actions.includes(action));
    expect(allowed("cloudformation:DescribeStackResource")).toHaveLength(1);
    expect(allowed("apigateway:PATCH")[0]?.resources).toContain("arn:${local.partition}:apigateway:${var.region}::/restapis/*");
  });

  it("has a boundary that keeps function roles to this stage's resources, and no IAM at all", () => {
    const boundary = resource(tf, "aws_iam_policy", "function_boundary");
    expect(boundary.name).toBe("${local.name_prefix}-function-boundary");
    expect(boundary.policy).toBe("${data.aws_iam_policy_document.function_boundary.json}");
    const statements = policyDocument("function_boundary").statement;
    expect(statements.length).toBeGreaterThan(3);
    for (const statement of statements) {
      for (const action of statement.actions) expect(action, statement.sid).not.toMatch(/^(iam|sts|organizations|kms:Create|lambda):/);
      if (statement.resources.includes("*")) expect(["Traces", "DecryptParameters"]).toContain(statement.sid);
    }
  });
});

describe("the WAF web ACL on the API stage", () => {
  type Rule = { name: string; priority: number; statement: Record<string, unknown>[]; action?: unknown; override_action?: unknown; visibility_config: unknown };
  const acl = () => resource(tf, "aws_wafv2_web_acl", "api");
  const rules = () => acl().rule as Rule[];
  const visible = { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true };

  it("is regional, allows by default, and reports metrics and samples for itself and each rule", () => {
    expect(acl()).toMatchObject({ name: "${local.name_prefix}-api", scope: "REGIONAL" });
    expect(first(acl().default_action)).toEqual({ allow: [{}] });
    expect(first(acl().visibility_config)).toMatchObject({ ...visible, metric_name: "${local.name_prefix}-api" });
    for (const rule of rules()) expect(first(rule.visibility_config), rule.name).toMatchObject({ ...visible, metric_name: expect.any(String) });
    expect(new Set(rules().map((r) => r.priority)).size).toBe(rules().length);
  });

  it("blocks an IP above its request rate first, then applies AWS's common and known-bad-inputs rule sets", () => {
    const [rate, ...managed] = [...rules()].sort((a, b) => a.priority - b.priority);
    expect(first(rate?.action)).toEqual({ block: [{}] });
    expect(first(first(rate?.statement).rate_based_statement)).toMatchObject({
      aggregate_key_type: "IP",
      limit: "${var.waf_rate_limit_per_ip}",
      evaluation_window_sec: 300,
    });
    const groups = managed.map((rule) => {
      expect(first(rule.override_action), rule.name).toEqual({ none: [{}] });
      return first(first(rule.statement).managed_rule_group_statement);
    });
    expect(groups).toEqual([
      { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" },
      { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS" },
    ]);
    expect(tf.variable.waf_rate_limit_per_ip?.[0]).toMatchObject({ type: "${number}" });
  });

  it("is associated with the stage of the REST API Serverless created (found by name, after the first deploy)", () => {
    const association = resource(tf, "aws_wafv2_web_acl_association", "api");
    expect(association.web_acl_arn).toBe("${aws_wafv2_web_acl.api.arn}");
    expect(association.resource_arn).toBe(
      "arn:${local.partition}:apigateway:${var.region}::/restapis/${data.aws_api_gateway_rest_api.service[0].id}/stages/${var.stage}",
    );
    expect(association.count).toBe("${var.attach_waf ? 1 : 0}");
    const api = tf.data.aws_api_gateway_rest_api?.service?.[0];
    expect(api).toMatchObject({ name: "${local.rest_api_name}", count: "${var.attach_waf ? 1 : 0}" });
    expect(tf.variable.attach_waf?.[0]).toMatchObject({ type: "${bool}", default: true });
  });
});

// Alarms, topics, the dashboard and the saved query: test/infra/alarms.test.ts.
