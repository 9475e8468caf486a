import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { httpRoutesOf, readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { zipEntries } from "../../local/lambda/zipEntries.js";
import { asList, readTemplate, resourcePath, resourcesOfType, type CfnTemplate, type IamStatement } from "./support/template.js";

const ROOT = resolve(import.meta.dirname, "../..");
const functions = readServerlessFunctions(ROOT);
const SCOPE = "aws.cognito.signin.user.admin";
/**
 * A guard against a runaway bundle, not the cold-start budget (npm run bench:cold measures that):
 * with its SDK clients bundled, the largest function (addEmail: DynamoDB, SES, SSM, idempotency)
 * is about 800 KB minified. test/infra/bundles.test.ts checks what each bundle holds.
 */
const MAX_BUNDLE_BYTES = 1024 * 1024;

let template: CfnTemplate;
beforeAll(() => {
  template = readTemplate(inject("packageDir"));
});

const lambdaOf = (fn: string) => template.Resources[`${fn[0]?.toUpperCase()}${fn.slice(1)}LambdaFunction`];

describe("every function in serverless.yml", () => {
  it.each(functions.map((f) => [f.name, f]))("%s: handler file exists and exports its function", async (_name, fn) => {
    expect(existsSync(fn.handler.file), fn.handler.file).toBe(true);
    const module = (await import(pathToFileURL(fn.handler.file).href)) as Record<string, unknown>;
    expect(typeof module[fn.handler.exportName]).toBe("function");
  });

  it("is in the template on arm64, nodejs22.x, 256 MB, with active tracing", () => {
    for (const fn of functions) {
      const props = lambdaOf(fn.name)?.Properties;
      expect(props, fn.name).toBeDefined();
      expect(props?.Runtime).toBe("nodejs22.x");
      expect(props?.Architectures).toEqual(["arm64"]);
      expect(props?.MemorySize).toBe(256);
      expect(props?.TracingConfig).toEqual({ Mode: "Active" });
    }
    expect(resourcesOfType(template, "AWS::Lambda::Function")).toHaveLength(functions.length);
  });

  it("ships one minified ESM bundle under 1 MB, its SDK clients inside (no node_modules)", () => {
    for (const fn of functions) {
      const zip = join(inject("packageDir"), `${fn.name}.zip`);
      const entries = zipEntries(readFileSync(zip));
      const bundle = entries.find((e) => e.name.endsWith(".mjs"));
      expect(bundle, fn.name).toBeDefined();
      expect(bundle?.size ?? Infinity, fn.name).toBeLessThan(MAX_BUNDLE_BYTES);
      expect(entries.some((e) => e.name.includes("node_modules/"))).toBe(false);
      expect(statSync(zip).size).toBeLessThan(MAX_BUNDLE_BYTES);
    }
  });

  it("reads the environment variables config.ts reads, from SSM-backed parameters", () => {
    const env = (lambdaOf("getMe")?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      STAGE: "ci",
      TABLE_NAME: { Ref: "TableName" },
      EVENT_BUS_NAME: { Ref: "EventBusName" },
      COGNITO_USER_POOL_ID: { Ref: "UserPoolId" },
      SIGNUP_RETRY_QUEUE_URL: { Ref: "SignUpRetryQueueUrl" },
      EVENTS_DLQ_URL: { Ref: "EventsDlqUrl" },
      MAILER: "ses",
      MAIL_FROM: { Ref: "MailFrom" },
    });
    expect(env.ALLOWED_ORIGINS).toEqual(expect.any(String));
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      expect(parameter.Type, name).toBe("AWS::SSM::Parameter::Value<String>");
      expect(parameter.Default, name).toMatch(/^\/user-service\/ci\/[a-z-]+$/);
    }
  });
});

describe("traces", () => {
  it("never record a function's response (profiles, addresses): capture is off on every function", () => {
    for (const fn of functions) {
      const env = (lambdaOf(fn.name)?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.POWERTOOLS_TRACER_CAPTURE_RESPONSE, fn.name).toBe("false");
    }
  });
});

describe("the REST API", () => {
  const methods = () =>
    resourcesOfType(template, "AWS::ApiGateway::Method").filter(([, m]) => m.Properties?.HttpMethod !== "OPTIONS");

  it("serves exactly the routes the local gateway serves", () => {
    const inTemplate = methods().map(([, m]) => {
      const resourceId = (m.Properties?.ResourceId as { Ref: string }).Ref;
      return `${String(m.Properties?.HttpMethod)} ${resourcePath(template, resourceId)}`;
    });
    const local = httpRoutesOf(functions).map((r) => `${r.method} ${r.resource}`);
    expect(inTemplate.sort()).toEqual(local.sort());
    expect(local.length).toBeGreaterThanOrEqual(13);
  });

  /** SPEC 3: the only routes without a token; the link's token in the body is the credential. */
  const PUBLIC_METHODS = ["ApiGatewayMethodAccountRestorePost", "ApiGatewayMethodAccountRevertPost"];

  it("leaves exactly the two link routes public", () => {
    const open = methods().filter(([, m]) => m.Properties?.AuthorizationType !== "COGNITO_USER_POOLS").map(([id]) => id);
    expect(open.sort()).toEqual(PUBLIC_METHODS);
    for (const id of PUBLIC_METHODS) expect(template.Resources[id]?.Properties).toMatchObject({ AuthorizationType: "NONE" });
  });

  it("puts the Cognito authorizer with the access-token scope on every other method", () => {
    for (const [id, method] of methods()) {
      if (PUBLIC_METHODS.includes(id)) continue;
      expect(method.Properties?.AuthorizationType, id).toBe("COGNITO_USER_POOLS");
      expect(method.Properties?.AuthorizerId, id).toEqual({ Ref: "CognitoAuthorizer" });
      expect(method.Properties?.AuthorizationScopes, id).toEqual([SCOPE]);
    }
    expect(template.Resources.CognitoAuthorizer?.Properties).toMatchObject({
      Type: "COGNITO_USER_POOLS",
      IdentitySource: "method.request.header.Authorization",
      ProviderARNs: [{ Ref: "UserPoolArn" }],
    });
  });

  it("traces the stage with X-Ray and writes access logs", () => {
    // The framework applies stage tracing and logging with UpdateStage at deploy, not in the template.
    const state = JSON.parse(readFileSync(join(inject("packageDir"), "serverless-state.json"), "utf8")) as {
      service: { provider: { tracing?: { apiGateway?: boolean; lambda?: boolean }; logs?: { restApi?: { accessLogging?: boolean } } } };
    };
    expect(state.service.provider.tracing).toEqual({ lambda: true, apiGateway: true });
    expect(state.service.provider.logs?.restApi?.accessLogging).toBe(true);
    expect(resourcesOfType(template, "AWS::Logs::LogGroup").map(([id]) => id)).toContain("ApiGatewayLogGroup");
  });

  it("answers its own errors with the service's error body and CORS headers", () => {
    const responses = resourcesOfType(template, "AWS::ApiGateway::GatewayResponse").map(([, r]) => r.Properties ?? {});
    const types = responses.map((r) => r.ResponseType);
    for (const type of ["UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX", "DEFAULT_5XX"]) {
      expect(types).toContain(type);
    }
    for (const response of responses) {
      const body = (response.ResponseTemplates as Record<string, string>)["application/json"] ?? "";
      // Fill in what API Gateway substitutes, then the body must be the spec's error shape.
      const filled = body.replace("$context.error.messageString", '"Unauthorized"').replace("$context.requestId", "req-1");
      const parsed = JSON.parse(filled) as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).toEqual(["error", "message", "requestId", "statusCode"]);
      expect(String(parsed.statusCode)).toBe(response.StatusCode);
      const headers = response.ResponseParameters as Record<string, string>;
      expect(headers["gatewayresponse.header.Access-Control-Allow-Origin"]).toMatch(/^'.+'$/);
    }
    const unauthorized = responses.find((r) => r.ResponseType === "UNAUTHORIZED");
    expect(unauthorized?.StatusCode).toBe("401");
  });
});

describe("API Gateway throttling", () => {
  interface Throttle {
    rateLimit: number;
    burstLimit: number;
  }
  interface ThrottlingConfig extends Throttle {
    strict: Throttle & { routes: string[] };
  }
  interface PatchOperation {
    op: string;
    path: string;
    value: string;
  }
  const requireCjs = createRequire(import.meta.url);
  const plugin = requireCjs("../../scripts/apiStageThrottling.cjs") as {
    stageThrottlingPatch(config: ThrottlingConfig): PatchOperation[];
  };
  const state = () =>
    JSON.parse(readFileSync(join(inject("packageDir"), "serverless-state.json"), "utf8")) as {
      service: { plugins: string[] | { modules: string[] }; custom: { apiThrottling: ThrottlingConfig } };
    };
  const config = () => state().service.custom.apiThrottling;
  const value = (ops: PatchOperation[], path: string) => ops.find((o) => o.op === "replace" && o.path === path)?.value;

  it("is applied to the stage after every deploy by the service's own plugin (the stage is not a template resource)", () => {
    const plugins = state().service.plugins;
    expect(Array.isArray(plugins) ? plugins : plugins.modules).toContain("./scripts/apiStageThrottling.cjs");
  });

  it("has a stage default, and stricter limits on the code-sending routes", () => {
    const { rateLimit, burstLimit, strict } = config();
    expect(rateLimit).toBeGreaterThan(0);
    expect(burstLimit).toBeGreaterThanOrEqual(rateLimit);
    expect(strict.rateLimit).toBeLessThan(rateLimit);
    expect(strict.burstLimit).toBeLessThan(burstLimit);
    expect(strict.routes).toEqual(
      expect.arrayContaining([
        "POST /users/me/emails",
        "POST /users/me/emails/{emailId}/verify",
        "POST /users/me/emails/{emailId}/verify/confirm",
      ]),
    );
    const ops = plugin.stageThrottlingPatch(config());
    expect(value(ops, "/*/*/throttling/rateLimit")).toBe(String(rateLimit));
    expect(value(ops, "/*/*/throttling/burstLimit")).toBe(String(burstLimit));
    expect(value(ops, "/~1users~1me~1emails/POST/throttling/rateLimit")).toBe(String(strict.rateLimit));
    expect(value(ops, "/~1users~1me~1emails/POST/throttling/burstLimit")).toBe(String(strict.burstLimit));
    expect(value(ops, "/~1users~1me~1emails~1{emailId}~1verify/POST/throttling/rateLimit")).toBe(String(strict.rateLimit));
    expect(value(ops, "/~1users~1me~1emails~1{emailId}~1verify~1confirm/POST/throttling/burstLimit")).toBe(String(strict.burstLimit));
  });

  it("names only routes the template serves", () => {
    const served = resourcesOfType(template, "AWS::ApiGateway::Method").map(([, m]) => {
      const resourceId = (m.Properties?.ResourceId as { Ref: string }).Ref;
      return `${String(m.Properties?.HttpMethod)} ${resourcePath(template, resourceId)}`;
    });
    for (const route of config().strict.routes) expect(served, route).toContain(route);
  });
});

describe("event sources", () => {
  const mappings = () => resourcesOfType(template, "AWS::Lambda::EventSourceMapping").map(([, m]) => m.Properties ?? {});

  // The retry window itself (record age, no retry count, no bisecting): test/infra/relayMapping.test.ts.
  it("runs the outbox relay on the table stream with partial failures and an on-failure queue", () => {
    const relay = mappings().find((m) => JSON.stringify(m.FunctionName).includes("OutboxRelay"));
    expect(relay).toMatchObject({
      EventSourceArn: { Ref: "TableStreamArn" },
      StartingPosition: "TRIM_HORIZON",
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: { Ref: "RelayFailureQueueArn" } } },
    });
    const filter = JSON.parse((relay?.FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]?.Pattern ?? "{}");
    expect(filter).toEqual({ eventName: ["INSERT"], dynamodb: { Keys: { PK: { S: [{ prefix: "OUTBOX#" }] } } } });
  });

  it("drains the sign-up retry queue with partial batch failures", () => {
    const retry = mappings().find((m) => JSON.stringify(m.FunctionName).includes("SignUpRetryProcessor"));
    expect(JSON.stringify(retry?.EventSourceArn)).toContain("ci-user-service-signup-retry");
    expect(retry?.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
  });

  it("runs the reconciliation on a schedule", () => {
    const rules = resourcesOfType(template, "AWS::Events::Rule").map(([, r]) => r.Properties ?? {});
    const schedule = rules.find((r) => JSON.stringify(r.Targets).includes("ReconcileUsers"));
    expect(schedule?.ScheduleExpression).toMatch(/^rate\(/);
  });

  it("lets Cognito invoke the triggers and the cognito-sync rule invoke its consumer", () => {
    const permissions = resourcesOfType(template, "AWS::Lambda::Permission").map(([, p]) => p.Properties ?? {});
    const byPrincipal = (principal: string) => permissions.filter((p) => p.Principal === principal).map((p) => JSON.stringify(p.FunctionName));
    expect(byPrincipal("cognito-idp.amazonaws.com").sort()).toEqual(
      [JSON.stringify({ "Fn::GetAtt": ["PostConfirmationLambdaFunction", "Arn"] }), JSON.stringify({ "Fn::GetAtt": ["PreSignUpLambdaFunction", "Arn"] })].sort(),
    );
    const sync = permissions.find((p) => JSON.stringify(p.FunctionName).includes("CognitoSync"));
    expect(sync?.Principal).toBe("events.amazonaws.com");
    expect(JSON.stringify(sync?.SourceArn)).toContain("-user-service-cognito-sync");
    const config = resourcesOfType(template, "AWS::Lambda::EventInvokeConfig").map(([, c]) => c.Properties ?? {});
    expect(config.find((c) => JSON.stringify(c).includes("CognitoSync"))).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { Ref: "EventsDlqArn" } } },
    });
  });
});

describe("the functions' IAM roles", () => {
  const roles = () => resourcesOfType(template, "AWS::IAM::Role");
  const statementsOf = (role: { Properties?: Record<string, unknown> }): IamStatement[] =>
    ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: IamStatement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
  const statements = (): IamStatement[] => roles().flatMap(([, role]) => statementsOf(role));
  // AWS grants X-Ray writes only on "*"; Lambda log streams have generated names under the function's group.
  const xrayOnly = (s: IamStatement) => asList(s.Action).every((a) => a.startsWith("xray:"));
  const ownLogStreams = (resource: unknown, fn: string) =>
    JSON.stringify(resource).endsWith(`log-group:/aws/lambda/user-service-ci-${fn}:*"}`);

  it("one per function, each its own (scripts/functionRoles.cjs), and no shared role", () => {
    const roleIds = functions.map((fn) => (lambdaOf(fn.name)?.Properties?.Role as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0]);
    expect(new Set(roleIds).size).toBe(functions.length);
    expect(roles().map(([id]) => id).sort()).toEqual([...roleIds].sort());
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it("every role carries the stage's permissions boundary (the deploy role may change no role without it)", () => {
    expect(roles().length).toBeGreaterThan(0);
    for (const [id, role] of roles()) {
      expect(role.Properties?.PermissionsBoundary, id).toEqual({
        "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/ci-user-service-function-boundary",
      });
    }
  });

  it("only allows, and names every action (no wildcard actions)", () => {
    for (const statement of statements()) {
      expect(statement.Effect).toBe("Allow");
      for (const action of asList(statement.Action)) expect(action, action).not.toContain("*");
    }
  });

  it("scopes every resource: '*' only for X-Ray, '*' inside an ARN only for the function's own log streams", () => {
    for (const fn of functions) {
      const roleId = (lambdaOf(fn.name)?.Properties?.Role as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] ?? "";
      for (const statement of statementsOf(template.Resources[roleId] ?? {})) {
        for (const resource of asList(statement.Resource)) {
          if (resource === "*") {
            expect(xrayOnly(statement), JSON.stringify(statement)).toBe(true);
            continue;
          }
          if (JSON.stringify(resource).includes("*")) expect(ownLogStreams(resource, fn.name), `${fn.name}: ${JSON.stringify(resource)}`).toBe(true);
        }
      }
    }
  });

  it("reach the table and GSI1, the bus, the queues, the pool and SES, and the stream for the relay", () => {
    const resources = JSON.stringify(statements());
    for (const ref of ["TableArn", "EventBusArn", "EventsDlqArn", "UserPoolArn", "SesIdentityArn", "TableStreamArn", "RelayFailureQueueArn"]) {
      expect(resources).toContain(`"Ref":"${ref}"`);
    }
    expect(resources).toContain("${TableArn}/index/GSI1");
    expect(resources).toContain("ci-user-service-signup-retry");
  });
});
