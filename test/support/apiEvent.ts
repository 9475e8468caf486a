import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { callerIdentity } from "../../local/gateway/proxyEvent.js";

/** Claims as the Cognito authorizer hands them to the Lambda (REST v1: every value a string). */
export interface TestClaims {
  sub: string;
  auth_time?: number | string;
  /** Group names; rendered the way API Gateway REST renders them ("admins" or "[a b]"). */
  groups?: string[];
  token_use?: string;
  scope?: string;
  client_id?: string;
  [claim: string]: unknown;
}

export interface ApiEventInput {
  method: string;
  /** Path as the client requested it, e.g. "/users/me/emails/abc". */
  path: string;
  /** The route template from serverless.yml, e.g. "/users/me/emails/{emailId}"; defaults to `path`. */
  resource?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** An object is JSON-encoded; a string is sent as is (for malformed or oversize bodies). */
  body?: string | object;
  headers?: Record<string, string>;
  /** Omit for an unauthenticated event (no authorizer claims). */
  claims?: TestClaims;
}

/** An API Gateway REST (v1) proxy event, shaped like the one the Cognito-authorized gateway sends. */
export function apiEvent(input: ApiEventInput): APIGatewayProxyEvent {
  const requestId = randomUUID();
  const body = input.body === undefined ? null : typeof input.body === "string" ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = {
    ...(body !== null ? { "Content-Type": "application/json" } : {}),
    ...(input.claims ? { Authorization: "Bearer test-token" } : {}),
    ...input.headers,
  };
  return {
    httpMethod: input.method.toUpperCase(),
    path: input.path,
    resource: input.resource ?? input.path,
    pathParameters: input.pathParameters ?? null,
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: input.query
      ? Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, [v]]))
      : null,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    body,
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "testapi",
      authorizer: input.claims ? { claims: renderClaims(input.claims) } : null,
      protocol: "HTTP/1.1",
      httpMethod: input.method.toUpperCase(),
      identity: callerIdentity("127.0.0.1", "vitest"),
      path: input.path,
      stage: "test",
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: "res",
      resourcePath: input.resource ?? input.path,
    },
  };
}

function renderClaims(claims: TestClaims): Record<string, string> {
  const { groups, ...rest } = claims;
  const rendered: Record<string, string> = {
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    client_id: "test-client",
    auth_time: String(Math.floor(Date.now() / 1000)),
  };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) rendered[key] = String(value);
  if (groups && groups.length > 0) rendered["cognito:groups"] = groups.length === 1 ? groups[0]! : `[${groups.join(" ")}]`;
  return rendered;
}

/** A Lambda context good enough for middy, Powertools and idempotency (remaining time). */
export function lambdaContext(functionName = "test-function"): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ApiResponse<T> {
  statusCode: number;
  headers: Record<string, string>;
  body: T;
}

/** Invokes a real handler export and parses its JSON body. Route tests call ./apiClient.ts instead. */
export async function invoke<T = Record<string, unknown>>(handler: ProxyHandler, input: ApiEventInput): Promise<ApiResponse<T>> {
  const result = await handler(apiEvent(input), lambdaContext());
  return {
    statusCode: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: (result.body ? JSON.parse(result.body) : undefined) as T,
  };
}
