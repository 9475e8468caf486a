import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { AwsCallRecord } from "../../src/adapters/awsCallRecorder.js";
import type { CfnTemplate } from "../infra/support/template.js";
import { readTerraform } from "../infra/support/terraform.js";

/**
 * The packaged template and Terraform's boundary, resolved to the ARNs of one fixed test account,
 * and the recorded calls mapped to the IAM requests AWS would authorize for them.
 */
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const STAGE = "ci";
const PREFIX = `${STAGE}-user-service`;
const POOL_ID = `${REGION}_Ab12Cd34E`;

export const ARN = {
  table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${PREFIX}`,
  tableStream: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${PREFIX}/stream/2026-01-01T00:00:00.000`,
  bus: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${PREFIX}`,
  pool: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${POOL_ID}`,
  mailIdentity: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`,
  queue: (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
  signUpRetryQueue: `arn:aws:sqs:${REGION}:${ACCOUNT}:${PREFIX}-signup-retry`,
  eventsDlq: `arn:aws:sqs:${REGION}:${ACCOUNT}:${PREFIX}-dlq`,
  relayFailureQueue: `arn:aws:sqs:${REGION}:${ACCOUNT}:${PREFIX}-relay-failures`,
  parameter: (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`,
  logGroup: (fn: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/user-service-${STAGE}-${fn}:*`,
};

/** What Terraform writes into each SSM parameter the template reads (terraform/ssm.tf), in the test account. */
const PARAMETER_VALUES: Record<string, string> = {
  TableName: PREFIX,
  TableArn: ARN.table,
  TableStreamArn: ARN.tableStream,
  EventBusName: PREFIX,
  EventBusArn: ARN.bus,
  UserPoolId: POOL_ID,
  UserPoolArn: ARN.pool,
  UserPoolClientId: "1example23456789012345678",
  SignUpRetryQueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${PREFIX}-signup-retry`,
  EventsDlqUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${PREFIX}-dlq`,
  EventsDlqArn: ARN.eventsDlq,
  RelayFailureQueueArn: ARN.relayFailureQueue,
  MailFrom: "no-reply@example.com",
  SesIdentityArn: ARN.mailIdentity,
};
const PSEUDO: Record<string, string> = {
  "AWS::Partition": "aws",
  "AWS::Region": REGION,
  "AWS::AccountId": ACCOUNT,
  "AWS::URLSuffix": "amazonaws.com",
  "AWS::StackName": `user-service-${STAGE}`,
};
/** Stack exports the template may import (none today); an unknown one fails the resolution. */
const IMPORTS: Record<string, string> = {};

type Json = unknown;

/** Resolves Ref, Fn::Sub, Fn::Join, Fn::GetAtt, Fn::ImportValue, Fn::Select and Fn::Split; anything unknown throws. */
export function resolveCfn(template: CfnTemplate, value: Json): Json {
  const ref = (name: string): string => {
    if (name in PSEUDO) return PSEUDO[name]!;
    const parameter = template.Parameters?.[name];
    if (parameter) {
      const resolved = PARAMETER_VALUES[name];
      if (resolved === undefined) throw new Error(`test/iam/policies.ts has no test value for the template parameter ${name}`);
      return resolved;
    }
    throw new Error(`cannot resolve Ref ${name} in an IAM policy`);
  };
  const getAtt = (id: string, attribute: string): string => {
    throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute} in an IAM policy (add it to test/iam/policies.ts)`);
  };
  const resolve = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== "object") return v;
    const entries = Object.entries(v as Record<string, Json>);
    const [key, arg] = entries[0] ?? [];
    if (entries.length !== 1 || !key || !(key === "Ref" || key.startsWith("Fn::"))) {
      return Object.fromEntries(entries.map(([k, inner]) => [k, resolve(inner)]));
    }
    switch (key) {
      case "Ref":
        return ref(String(arg));
      case "Fn::GetAtt": {
        const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(".");
        return getAtt(String(id), String(attribute));
      }
      case "Fn::Sub": {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [String(arg), {}];
        return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
          if (name.startsWith("!")) return `\${${name.slice(1)}}`;
          if (name in vars) return String(resolve(vars[name]));
          if (name.includes(".") && !name.startsWith("AWS::")) {
            const [id, ...attribute] = name.split(".");
            return getAtt(String(id), attribute.join("."));
          }
          return ref(name);
        });
      }
      case "Fn::Join": {
        const [separator, parts] = arg as [string, Json[]];
        return (resolve(parts) as Json[]).map(String).join(separator);
      }
      case "Fn::Select": {
        const [index, list] = arg as [Json, Json];
        return (resolve(list) as Json[])[Number(resolve(index))];
      }
      case "Fn::Split": {
        const [separator, text] = arg as [string, Json];
        return String(resolve(text)).split(separator);
      }
      case "Fn::ImportValue": {
        const name = String(resolve(arg));
        if (!(name in IMPORTS)) throw new Error(`test/iam/policies.ts has no test value for Fn::ImportValue ${name}`);
        return IMPORTS[name];
      }
      default:
        throw new Error(`cannot resolve ${key} in an IAM policy`);
    }
  };
  return resolve(value);
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface FunctionRole {
  /** serverless.yml's function name. */
  functionName: string;
  roleId: string;
  policies: { name: string; policy: PolicyDocument }[];
  boundaryArn: string;
}

/** Each function of the template with its role's inline policies, resolved. */
export function functionRoles(template: CfnTemplate): FunctionRole[] {
  const roles: FunctionRole[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    const functionName = String(resolveFunctionName(template, resource.Properties?.FunctionName));
    const roleRef = resource.Properties?.Role as { "Fn::GetAtt"?: [string, string] } | undefined;
    const roleId = roleRef?.["Fn::GetAtt"]?.[0];
    const role = roleId ? template.Resources[roleId] : undefined;
    if (!roleId || role?.Type !== "AWS::IAM::Role") throw new Error(`${id}: its Role is not a role of this template`);
    if (role.Properties?.ManagedPolicyArns) throw new Error(`${roleId}: managed policies are not evaluated; use inline statements`);
    const policies = asList(role.Properties?.Policies as { PolicyName: Json; PolicyDocument: Json }[]).map((p) => ({
      name: String(resolveCfn(template, p.PolicyName)),
      policy: normalizePolicy(resolveCfn(template, p.PolicyDocument) as PolicyDocument),
    }));
    roles.push({ functionName, roleId, policies, boundaryArn: String(resolveCfn(template, role.Properties?.PermissionsBoundary)) });
  }
  return roles;
}

/** "user-service-ci-getMe" -> "getMe". */
function resolveFunctionName(template: CfnTemplate, name: Json): string {
  return String(resolveCfn(template, name)).replace(new RegExp(`^user-service-${STAGE}-`), "");
}

function normalizePolicy(policy: PolicyDocument): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: asList(policy.Statement).map((s) => ({
      ...s,
      Action: asList(s.Action as string | string[]),
      Resource: asList(s.Resource as string | string[]),
    })),
  };
}

/** Terraform's function boundary (terraform/function_boundary.tf) and its ARN, in the test account. */
export async function functionBoundary(): Promise<{ arn: string; policy: PolicyDocument }> {
  const tf = await readTerraform();
  const values: Record<string, string> = {
    "aws_dynamodb_table.user_service.arn": ARN.table,
    "aws_cloudwatch_event_bus.user_service.arn": ARN.bus,
    "aws_cognito_user_pool.main.arn": ARN.pool,
    "aws_sesv2_email_identity.mail.arn": ARN.mailIdentity,
    "local.partition": "aws",
    "local.region_account": `${REGION}:${ACCOUNT}`,
    "local.account_id": ACCOUNT,
    "local.name_prefix": PREFIX,
    "local.service": "user-service",
    "local.ssm_prefix": `/user-service/${STAGE}`,
    "local.stack_name": `user-service-${STAGE}`,
    "var.stage": STAGE,
    "var.region": REGION,
  };
  const interpolate = (text: string): string =>
    text.replace(/\$\{([^}]+)\}/g, (_, expression: string) => {
      const value = values[expression.trim()];
      if (value === undefined) throw new Error(`test/iam/policies.ts cannot resolve the Terraform expression ${expression}`);
      return value;
    });
  type Block = Record<string, unknown>;
  const document = tf.data.aws_iam_policy_document?.function_boundary?.[0];
  if (!document) throw new Error("terraform has no data.aws_iam_policy_document.function_boundary");
  const statements = asList(document.statement as Block[]).map((s): PolicyStatement => {
    const conditions = asList(s.condition as Block[] | undefined);
    return {
      ...(s.sid ? { Sid: String(s.sid) } : {}),
      Effect: s.effect === "Deny" ? "Deny" : "Allow",
      Action: asList(s.actions as string[]).map(interpolate),
      Resource: asList(s.resources as string[]).map(interpolate),
      ...(conditions.length > 0
        ? {
            Condition: Object.fromEntries(
              conditions.map((c) => [String(c.test), { [interpolate(String(c.variable))]: asList(c.values as string[]).map(interpolate) }]),
            ),
          }
        : {}),
    };
  });
  const policy = tf.resource.aws_iam_policy?.function_boundary?.[0];
  if (!policy) throw new Error("terraform has no aws_iam_policy.function_boundary");
  return { arn: `arn:aws:iam::${ACCOUNT}:policy/${interpolate(String(policy.name))}`, policy: { Version: "2012-10-17", Statement: statements } };
}

/** One request IAM authorizes: the action and the resource ARN. */
export interface IamRequest {
  action: string;
  resource: string;
}

const TRANSACTION_PARTS: Record<string, string> = {
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  ConditionCheck: "ConditionCheckItem",
  Get: "GetItem",
};
/** SQS authorizes a batch as the single action. */
const SQS_BATCHES: Record<string, string> = {
  SendMessageBatch: "SendMessage",
  DeleteMessageBatch: "DeleteMessage",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibility",
};
/** Queue names as Terraform makes them (terraform/queues.tf), most specific first. */
const QUEUES = ["signup-retry-dlq", "signup-retry", "relay-failures", "dlq"];

/**
 * The IAM request behind a recorded call, with the local resource named as deployed: the int
 * tests use a table per test and the local stack its own names, so every table is the table, every
 * pool the pool, every sender the SES identity, any bus but the default one the service's bus, a
 * queue the Terraform queue its name ends with, and a parameter keeps its path under this stage.
 */
export function requestOf(record: AwsCallRecord): IamRequest {
  const fail = (why: string): never => {
    throw new Error(`${why}: ${JSON.stringify(record)} (teach test/iam/policies.ts requestOf)`);
  };
  switch (record.service) {
    case "dynamodb": {
      const action = record.part ? TRANSACTION_PARTS[record.part] ?? fail("unknown transaction part") : record.action;
      if (!record.resource) fail("no table");
      const index = /\/index\/(.+)$/.exec(record.resource)?.[1];
      return { action: `dynamodb:${action}`, resource: index ? `${ARN.table}/index/${index}` : ARN.table };
    }
    case "sqs": {
      const name = record.resource.split("/").pop() ?? "";
      const known = QUEUES.find((q) => name === q || name.endsWith(`-${q}`));
      if (!name) fail("no queue URL");
      return { action: `sqs:${SQS_BATCHES[record.action] ?? record.action}`, resource: ARN.queue(known ? `${PREFIX}-${known}` : name) };
    }
    case "events":
      return {
        action: `events:${record.action}`,
        resource: record.resource === "default" ? `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` : ARN.bus,
      };
    case "cognito-idp":
      if (!record.resource) fail("no user pool");
      return { action: `cognito-idp:${record.action}`, resource: ARN.pool };
    case "ses":
      if (!record.resource) fail("no sender");
      return { action: `ses:${record.action}`, resource: ARN.mailIdentity };
    case "ssm":
      if (!record.resource) fail("no parameter name");
      return {
        action: `ssm:${record.action}`,
        resource: ARN.parameter(record.resource.replace(/^\/user-service\/[^/]+\//, `/user-service/${STAGE}/`)),
      };
    default:
      return fail("unknown service");
  }
}

export interface Decision {
  result: string;
  /** Validation errors (an unknown action, a resource of the wrong type), when the simulation could not run. */
  errors?: string;
}

/** iam-simulate's decision for one request by the role, within the boundary. */
export async function decide(role: FunctionRole, boundary: PolicyDocument, request: IamRequest): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/user-service-${STAGE}-${role.roleId}/user-service-${STAGE}-${role.functionName}`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: role.policies,
      permissionBoundaryPolicies: [{ name: "function-boundary", policy: boundary }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === "error") return { result: "Error", errors: JSON.stringify(response.errors) };
  return { result: response.overallResult };
}

/** IAM's wildcard match of a statement's resource against a request's ARN. */
export function resourceMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map((part) => part.split("?").map(escape).join(".")).join(".*")}$`);
  return regex.test(arn);
}
const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
