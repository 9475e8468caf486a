import { readdirSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tableDefinition, TTL_ATTRIBUTE } from "../../src/adapters/dynamodb/tableDefinition.js";
import { CLIENT_SETTINGS, POOL_SETTINGS } from "../../local/cognito/poolSettings.js";
import { readServerlessFunctions } from "../../local/serverlessFunctions.js";
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
  it("trusts only this repository's workflows through OIDC", () => {
    const role = resource(tf, "aws_iam_role", "github_deploy");
    const policy = String(role.assume_role_policy);
    expect(policy).toContain('"token.actions.githubusercontent.com:sub" = "repo:${var.github_repository}:*"');
    expect(policy).toContain('"token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"');
    expect(policy).toContain("sts:AssumeRoleWithWebIdentity");
    const all = JSON.stringify(tf);
    expect(all).not.toMatch(/repo:[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+/);
  });

  it("names its actions and limits '*' resources to the calls that take none", () => {
    const document = tf.data.aws_iam_policy_document?.github_deploy?.[0] as { statement: Record<string, unknown>[] };
    for (const statement of document.statement) {
      for (const action of statement.actions as string[]) expect(action).not.toMatch(/\*/);
      const resources = statement.resources as string[];
      if (resources.includes("*")) {
        expect(["TemplateValidation", "EventSourceMappings"]).toContain(statement.sid);
      }
    }
  });
});

describe("alarms", () => {
  const alarm = (name: string) => resource(tf, "aws_cloudwatch_metric_alarm", name);

  it("use the seed's thresholds", () => {
    expect(alarm("lambda_error_rate")).toMatchObject({ threshold: 1, comparison_operator: "GreaterThanThreshold" });
    expect(String((alarm("lambda_error_rate").metric_query as { expression?: string }[])[0]?.expression)).toContain(
      "100 * errors / invocations",
    );
    expect(alarm("lambda_p99_duration")).toMatchObject({ threshold: 3000, extended_statistic: "p99", metric_name: "Duration" });
    expect(alarm("api_5xx")).toMatchObject({ threshold: 10, period: 60, statistic: "Sum", metric_name: "5XXError" });
    expect(alarm("api_4xx_warning")).toMatchObject({ threshold: 100, period: 60, statistic: "Sum", metric_name: "4XXError" });
    expect(alarm("dynamodb_throttles")).toMatchObject({ threshold: 0, comparison_operator: "GreaterThanThreshold" });
    expect(alarm("dynamodb_consumed_rcu").threshold).toBe("${var.read_capacity_alarm_limit * 0.8}");
    expect(alarm("dlq_messages")).toMatchObject({
      threshold: 0,
      metric_name: "ApproximateNumberOfMessagesVisible",
      comparison_operator: "GreaterThanThreshold",
    });
  });

  it("cover every function and every dead-letter queue, and notify the SNS topic", () => {
    expect(alarm("lambda_error_rate").for_each).toBe("${local.lambda_name}");
    expect(alarm("lambda_p99_duration").for_each).toBe("${local.lambda_name}");
    expect(Object.keys(local(tf, "dead_letter_queues") as object).sort()).toEqual(["events", "relay", "signup-retry"]);
    for (const [name] of Object.entries(tf.resource.aws_cloudwatch_metric_alarm ?? {})) {
      expect(alarm(name).alarm_actions, name).toBe("${local.alarm_actions}");
    }
  });

  it("has a per-stage dashboard with the seed's widgets plus outbox lag and DLQ depth", () => {
    const dashboard = resource(tf, "aws_cloudwatch_dashboard", "user_service");
    expect(dashboard.dashboard_name).toBe("${local.name_prefix}");
    const body = String(dashboard.dashboard_body);
    for (const title of ["Lambda Invocations & Errors", "API Gateway Latency", "DynamoDB Consumed Capacity", "Outbox lag", "DLQ depth"]) {
      expect(body).toContain(title);
    }
  });

  it("has a Logs Insights query that follows one correlation id across every function", () => {
    const query = resource(tf, "aws_cloudwatch_query_definition", "correlation");
    expect(String(query.query_string)).toMatch(/filter correlationId = .* or metadata\.correlationId = /);
    expect(String(query.log_group_names)).toContain("local.lambda_name");
  });
});
