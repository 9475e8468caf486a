import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { cachedPackage } from "../../scripts/packageCache.js";
import { readTemplate, resourcesOfType, type CfnResource, type CfnTemplate } from "./support/template.js";
import { local, readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
const functions = readServerlessFunctions(ROOT);
const apiFunctions = functions.filter((f) => f.routes.length > 0).map((f) => f.name);
const otherFunctions = functions.filter((f) => f.routes.length === 0).map((f) => f.name);
const logicalId = (fn: string) => `${fn[0]?.toUpperCase()}${fn.slice(1)}LambdaFunction`;
const gradual = (parse(readFileSync(resolve(ROOT, "serverless.yml"), "utf8"), { logLevel: "error" }) as { custom: { gradualDeploys: { rollbackAlarms: string[] } } }).custom.gradualDeploys;

let prod: CfnTemplate;
let ci: CfnTemplate;
let tf: TerraformConfig;
beforeAll(async () => {
  // Production is the only stage deployed gradually, so its template is packaged here (cached like ci's).
  prod = readTemplate((await cachedPackage({ stage: "prod" })).packageDir);
  ci = readTemplate(inject("packageDir"));
  tf = await readTerraform();
}, 300_000);

const props = (r: CfnResource | undefined) => (r?.Properties ?? {}) as Record<string, unknown>;

describe("production: the API functions shift gradually and roll back on the alarms (SPEC 11.4)", () => {
  it("has one CodeDeploy application, named after the stack, for Lambda", () => {
    const apps = resourcesOfType(prod, "AWS::CodeDeploy::Application");
    expect(apps).toHaveLength(1);
    expect(props(apps[0]?.[1])).toEqual({ ApplicationName: "user-service-prod", ComputePlatform: "Lambda" });
  });

  it.each(apiFunctions)("%s: a deployment group, canary 10%% for 5 minutes, rolled back on the 5xx rate and its error rate", (fn) => {
    const group = props(prod.Resources[`${logicalId(fn)}DeploymentGroup`]);
    expect(group).toMatchObject({
      DeploymentGroupName: fn,
      DeploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      DeploymentStyle: { DeploymentType: "BLUE_GREEN", DeploymentOption: "WITH_TRAFFIC_CONTROL" },
      ServiceRoleArn: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/prod-user-service-codedeploy" },
      AlarmConfiguration: {
        Enabled: true,
        Alarms: [{ Name: "{{resolve:ssm:/user-service/prod/rollback-alarm/api-5xx}}" }, { Name: `{{resolve:ssm:/user-service/prod/rollback-alarm/${fn}-error-rate}}` }],
      },
    });
    expect(group.AutoRollbackConfiguration).toMatchObject({ Enabled: true, Events: expect.arrayContaining(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]) });
  });

  it.each(apiFunctions)("%s: the `live` alias on the new version, updated through CodeDeploy", (fn) => {
    const alias = prod.Resources[`${logicalId(fn)}Alias`] as CfnResource & { UpdatePolicy?: unknown };
    const version = resourcesOfType(prod, "AWS::Lambda::Version").find(([, v]) => JSON.stringify(props(v).FunctionName) === JSON.stringify({ Ref: logicalId(fn) }));
    expect(props(alias)).toEqual({ FunctionName: { Ref: logicalId(fn) }, FunctionVersion: { "Fn::GetAtt": [version?.[0], "Version"] }, Name: "live" });
    expect(alias.UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: "GradualDeployApplication" }, DeploymentGroupName: { Ref: `${logicalId(fn)}DeploymentGroup` } },
    });
  });

  it("points every API Gateway integration and invoke permission at an alias, never at a function", () => {
    const methods = resourcesOfType(prod, "AWS::ApiGateway::Method").filter(([, m]) => (props(m).Integration as { Type?: string } | undefined)?.Type === "AWS_PROXY");
    expect(methods.length).toBeGreaterThanOrEqual(apiFunctions.length);
    for (const [id, method] of methods) {
      const uri = JSON.stringify((props(method).Integration as { Uri: unknown }).Uri);
      expect(uri, id).toMatch(/\{"Ref":"[A-Za-z]+LambdaFunctionAlias"\}/);
      expect(uri, id).not.toContain("Fn::GetAtt");
    }
    for (const [id, permission] of resourcesOfType(prod, "AWS::Lambda::Permission").filter(([, p]) => props(p).Principal === "apigateway.amazonaws.com")) {
      expect(JSON.stringify(props(permission).FunctionName), id).toMatch(/^\{"Ref":"[A-Za-z]+LambdaFunctionAlias"\}$/);
    }
  });

  it("leaves the functions Cognito, EventBridge, queues, the stream and schedules call without an alias", () => {
    expect(otherFunctions.length).toBeGreaterThan(3);
    for (const fn of otherFunctions) expect(prod.Resources[`${logicalId(fn)}Alias`], fn).toBeUndefined();
    expect(resourcesOfType(prod, "AWS::Lambda::Alias")).toHaveLength(apiFunctions.length);
  });

  it("staging and every other stage deploy at once: no alias, no CodeDeploy, integrations on the functions", () => {
    for (const type of ["AWS::Lambda::Alias", "AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup"]) {
      expect(resourcesOfType(ci, type), type).toHaveLength(0);
    }
    const method = resourcesOfType(ci, "AWS::ApiGateway::Method").find(([, m]) => JSON.stringify(props(m).Integration ?? {}).includes("GetMeLambdaFunction"));
    expect(JSON.stringify(props(method?.[1]).Integration)).toContain('{"Fn::GetAtt":["GetMeLambdaFunction","Arn"]}');
  });
});

describe("the rollback alarms' names, from Terraform through SSM", () => {
  it("serverless.yml reads the API 5xx rate and each function's error rate under rollback-alarm/", () => {
    expect(gradual.rollbackAlarms).toEqual([
      "{{resolve:ssm:/user-service/${sls:stage}/rollback-alarm/api-5xx}}",
      "{{resolve:ssm:/user-service/${sls:stage}/rollback-alarm/{function}-error-rate}}",
    ]);
  });

  it("Terraform writes exactly those names, from alarms it defines", () => {
    const parameter = resource(tf, "aws_ssm_parameter", "rollback_alarm");
    expect(parameter.name).toBe("${local.ssm_prefix}/rollback-alarm/${each.key}");
    expect(parameter.for_each).toBe("${local.rollback_alarms}");
    const alarms = String(local(tf, "rollback_alarms"));
    expect(alarms).toContain('"api-5xx" = aws_cloudwatch_metric_alarm.api_5xx.alarm_name');
    expect(alarms).toContain('for f, alarm in aws_cloudwatch_metric_alarm.lambda_error_rate : "${f}-error-rate" => alarm.alarm_name');
    // The alarms exist (the monitoring file may be reworked; these names must follow it).
    expect(resource(tf, "aws_cloudwatch_metric_alarm", "api_5xx").alarm_name).toEqual(expect.any(String));
    expect(resource(tf, "aws_cloudwatch_metric_alarm", "lambda_error_rate").for_each).toBe("${local.lambda_name}");
  });
});

describe("who may do what in a gradual deploy", () => {
  type Statement = { sid?: string; effect?: string; actions: string[]; resources: string[] | string; condition?: { test: string; variable: string; values: string[] }[] };
  const statements = (name: string) => (tf.data.aws_iam_policy_document?.[name]?.[0] as { statement: Statement[] }).statement;
  // A list in HCL, or one expression (hcl2json keeps `concat(...)` as its "${...}" string).
  const resourcesOf = (s: Statement) => (Array.isArray(s.resources) ? s.resources : [s.resources]);
  const ALIASES = '${concat(values(local.lambda_arn), [for arn in values(local.lambda_arn) : "${arn}:*"])}';

  it("CodeDeploy's role, trusted by CodeDeploy only, moves this stage's aliases and reads alarms", () => {
    expect(resource(tf, "aws_iam_role", "codedeploy").name).toBe("${local.name_prefix}-codedeploy");
    expect(JSON.stringify(statements("codedeploy_trust"))).toContain('"identifiers":["codedeploy.amazonaws.com"]');
    for (const statement of statements("codedeploy")) {
      if (resourcesOf(statement).includes("*")) expect(statement.actions).toEqual(["cloudwatch:DescribeAlarms"]);
      else expect(resourcesOf(statement)).toEqual([ALIASES]);
    }
  });

  it("the deploy role may run the stack's CodeDeploy, pass CodeDeploy its role only, and delete only its own stack", () => {
    const policy = statements("github_deploy_gradual");
    expect(resource(tf, "aws_iam_role_policy_attachment", "github_deploy_gradual").role).toBe("${aws_iam_role.github_deploy.name}");
    for (const statement of policy) {
      expect(statement.effect ?? "Allow").toBe("Allow");
      for (const action of statement.actions) expect(action).not.toContain("*");
      expect(resourcesOf(statement)).not.toContain("*");
      if (statement.actions.some((a) => a.startsWith("codedeploy:"))) {
        for (const arn of resourcesOf(statement)) expect(arn).toMatch(/^\$\{local\.codedeploy_arn\}:(application:\$\{local\.stack_name\}|deploymentgroup:\$\{local\.stack_name\}\/\*|deploymentconfig:CodeDeployDefault\.Lambda\*)$/);
      }
    }
    const withAction = (action: string) => policy.filter((s) => s.actions.includes(action));
    expect(withAction("cloudformation:DeleteStack")).toEqual([
      expect.objectContaining({ actions: ["cloudformation:DeleteStack"], resources: ["arn:${local.partition}:cloudformation:${local.region_account}:stack/${local.stack_name}/*"] }),
    ]);
    expect(local(tf, "stack_name")).toBe("${local.service}-${var.stage}");
    expect(withAction("iam:PassRole")).toEqual([
      expect.objectContaining({
        resources: ["${aws_iam_role.codedeploy.arn}"],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["codedeploy.amazonaws.com"] }],
      }),
    ]);
    for (const action of ["codedeploy:CreateDeployment", "codedeploy:CreateDeploymentGroup", "lambda:CreateAlias", "lambda:UpdateAlias"]) {
      expect(withAction(action), action).toHaveLength(1);
    }
    expect(withAction("lambda:UpdateAlias")[0]?.resources).toBe(ALIASES);
  });
});
