import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { AuthorizerClaims } from "./cognitoAuthorizer.js";
import type { RouteMatch } from "./routeTable.js";

export interface ProxyEventInput {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  match: RouteMatch;
  claims: AuthorizerClaims | null;
  requestId: string;
  stage: string;
}

/** Header pairs with the client's casing, as API Gateway forwards them. */
function headersOf(req: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

function queryOf(url: URL) {
  if ([...url.searchParams.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** The API Gateway REST (v1) Lambda proxy event for one request. */
export function proxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const { req, url, match, claims, requestId, stage } = input;
  const { headers, multiValueHeaders } = headersOf(req);
  const now = Date.now();
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1";
  return {
    resource: match.route.resource,
    path: url.pathname,
    httpMethod: match.route.method,
    headers,
    multiValueHeaders,
    ...queryOf(url),
    pathParameters: match.pathParameters,
    stageVariables: null,
    // Without binary media types API Gateway REST hands text bodies over as they came.
    body: input.body.length > 0 ? input.body.toString("utf8") : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: claims ? { claims } : null,
      domainName: req.headers.host ?? "localhost",
      domainPrefix: "localhost",
      extendedRequestId: requestId,
      httpMethod: match.route.method,
      identity: callerIdentity(sourceIp, req.headers["user-agent"] ?? null),
      path: `/${stage}${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      requestTime: new Date(now).toUTCString(),
      requestTimeEpoch: now,
      resourceId: match.route.functionName,
      resourcePath: match.route.resource,
      stage,
    },
  };
}

/** The caller identity API Gateway REST reports for a Cognito-authorized call: only IP and agent. */
export function callerIdentity(
  sourceIp: string,
  userAgent: string | null,
): APIGatewayProxyEvent["requestContext"]["identity"] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}
