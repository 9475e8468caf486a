import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyResult } from "aws-lambda";
import { corsHeaders } from "../../src/http/cors.js";
import { errorBody } from "../../src/http/errorResponse.js";
import { close, listen, readBody, RequestError, type ErrorFormat } from "../server/listen.js";
import { lambdaContext, loadHandler } from "../lambda/lambdaRuntime.js";
import type { HttpRoute } from "../lambda/serverlessFunctions.js";
import { accessLogFormat, accessLogLine } from "./accessLog.js";
import { apiDocsFile } from "./apiDocs.js";
import { cognitoAuthorizer, type AuthorizerConfig } from "./cognitoAuthorizer.js";
import { localEndpoint, type LocalInspection } from "./localEndpoints.js";
import { proxyEvent } from "./proxyEvent.js";
import { routeTable } from "./routeTable.js";
import { staticFile } from "./staticFiles.js";

export interface GatewayOptions {
  port: number;
  routes: HttpRoute[];
  authorizer: AuthorizerConfig;
  allowedOrigins: string[];
  stage: string;
  region: string;
  local: LocalInspection;
  webRoot: string;
  openApiFile: string;
  /** The service root: its serverless.yml gives the access log's format. */
  root: string;
  /** Receives one access log line per request (the template's format); stdout when unset. */
  log?: (line: string) => void;
}

export interface Gateway {
  stop(): Promise<void>;
}

/** API Gateway REST's payload limit; the handlers enforce the service's own 10 KB. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const API_GATEWAY_TIMEOUT_MS = 29_000;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** API Gateway's gateway response types for the statuses the local gateway answers itself. */
const GATEWAY_RESPONSE_TYPES: Record<number, string> = {
  401: "UNAUTHORIZED",
  403: "MISSING_AUTHENTICATION_TOKEN",
  404: "RESOURCE_NOT_FOUND",
  413: "REQUEST_TOO_LARGE",
  502: "DEFAULT_5XX",
};

interface Reply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/** What the access log says of a request beyond the reply: API Gateway's `$context` names. */
interface Logged {
  resourcePath?: string;
  "authorizer.claims.sub"?: string;
  /** The gateway response type when the gateway answered itself (UNAUTHORIZED, ...). */
  "error.responseType"?: string;
  integrationLatency?: number;
  integrationErrorMessage?: string;
}

function fromProxyResult(result: APIGatewayProxyResult): Reply {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, "base64") : (result.body ?? "");
  return { statusCode: result.statusCode, headers, body };
}

/** What listen refuses before a request reaches the gateway (foreign Host, unparsable HTTP): the service's error body. */
const gatewayErrorFormat: ErrorFormat = (status, message) => {
  const requestId = randomUUID();
  return {
    headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId },
    body: JSON.stringify(errorBody(status, message, requestId)),
  };
};

/**
 * The local API Gateway: exactly the routes of serverless.yml, the Cognito authorizer with scopes,
 * REST v1 proxy events to the real handlers, CORS preflights and gateway responses in the
 * service's error body, plus the local-only endpoints, the web page and the API docs (/docs: Swagger UI
 * over the OpenAPI document, which stays at /docs/openapi.yaml).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const lookup = routeTable(options.routes);
  const authorize = cognitoAuthorizer(options.authorizer);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const format = accessLogFormat(options.root);

  const handle = async (req: IncomingMessage, requestId: string): Promise<Reply & { logged?: Logged }> => {
    const method = req.method ?? "GET";
    const origin = req.headers.origin;
    const cors = corsHeaders(origin, options.allowedOrigins);
    const json = (statusCode: number, body: unknown, extra: Record<string, string> = {}): Reply => ({
      statusCode,
      headers: { "Content-Type": "application/json", ...cors, ...extra },
      body: JSON.stringify(body),
    });
    const gatewayError = (statusCode: number, message: string, extra: Record<string, string> = {}) => ({
      ...json(statusCode, errorBody(statusCode, message, requestId), extra),
      logged: { "error.responseType": GATEWAY_RESPONSE_TYPES[statusCode] ?? "DEFAULT_4XX" },
    });
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      return gatewayError(400, "Malformed request URL");
    }

    const local = await localEndpoint(method, url, options.local);
    if (local) return json(local.statusCode, local.body);

    const found = lookup(method, url.pathname);
    if (found.kind === "method-not-allowed" && method === "OPTIONS") {
      const allowHeaders = found.resource.find((r) => r.corsHeaders)?.corsHeaders;
      if (!allowHeaders) return gatewayError(403, "Missing Authentication Token");
      return {
        statusCode: 204,
        headers: {
          ...cors,
          "Access-Control-Allow-Methods": [...found.allowed, "OPTIONS"].join(","),
          "Access-Control-Allow-Headers": allowHeaders.join(","),
        },
        body: "",
      };
    }
    if (found.kind === "method-not-allowed") {
      return gatewayError(405, `Method ${method} not allowed on ${url.pathname}`, { Allow: found.allowed.join(", ") });
    }
    if (found.kind === "not-found") {
      if (method === "GET" || method === "HEAD") {
        const docs = await apiDocsFile(url.pathname, options);
        const file = docs === "not-docs" ? await staticFile(options.webRoot, url.pathname) : docs;
        if (file) return { statusCode: 200, headers: { "Content-Type": file.contentType }, body: file.body };
      }
      return gatewayError(404, `No route for ${method} ${url.pathname}`);
    }

    let body: Buffer;
    try {
      body = await readBody(req, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof RequestError) return gatewayError(error.status, error.status === 413 ? "Request Entity Too Large" : error.message);
      throw error;
    }
    const { route } = found.match;
    let claims = null;
    if (route.authorizerScopes) {
      claims = await authorize(req.headers.authorization, route.authorizerScopes);
      if (!claims) return { ...gatewayError(401, "Unauthorized"), logged: { resourcePath: route.resource, "error.responseType": "UNAUTHORIZED" } };
    }
    const event = proxyEvent({ req, url, body, match: found.match, claims, requestId, stage: options.stage });
    const logged: Logged = { resourcePath: route.resource, ...(claims?.sub ? { "authorizer.claims.sub": claims.sub } : {}) };
    const invoked = performance.now();
    try {
      const handler = await loadHandler(route.handler);
      const context = lambdaContext(route.functionName, API_GATEWAY_TIMEOUT_MS, options.region);
      const result = (await handler(event, context)) as APIGatewayProxyResult;
      if (!result || typeof result.statusCode !== "number") throw new Error("Malformed Lambda proxy response");
      return { ...fromProxyResult(result), logged: { ...logged, integrationLatency: Math.round(performance.now() - invoked) } };
    } catch (error) {
      log(JSON.stringify({ level: "ERROR", message: "Lambda failed", requestId, function: route.functionName, error: String(error) }));
      const reply = gatewayError(502, "Internal server error");
      return { ...reply, logged: { ...logged, ...reply.logged, integrationErrorMessage: `${route.functionName}: ${String(error)}` } };
    }
  };

  const server = await listen(
    (req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      const requestId = randomUUID();
      const incoming = req.headers["x-correlation-id"];
      void handle(req, requestId)
        .catch(() => ({ statusCode: 500, headers: {}, body: JSON.stringify(errorBody(500, "Internal server error", requestId)) }))
        .then((reply: Reply & { logged?: Logged }) => {
          const echoed = reply.headers["X-Correlation-Id"] ?? reply.headers["x-correlation-id"];
          const correlationId =
            typeof echoed === "string" ? echoed : typeof incoming === "string" && CORRELATION_ID.test(incoming) ? incoming : requestId;
          res.writeHead(reply.statusCode, { "X-Correlation-Id": correlationId, ...reply.headers, "x-amzn-RequestId": requestId });
          res.end(req.method === "HEAD" ? undefined : reply.body);
          // The line API Gateway writes to the stage's access log group, in the template's format.
          log(
            accessLogLine(format, {
              requestId,
              extendedRequestId: randomUUID().replaceAll("-", "").slice(0, 16),
              "identity.sourceIp": req.socket.remoteAddress,
              httpMethod: req.method,
              path: `/${options.stage}${(req.url ?? "/").split("?")[0] ?? "/"}`,
              stage: options.stage,
              status: reply.statusCode,
              responseLatency: Math.round(performance.now() - started),
              requestTime: new Date().toISOString(),
              ...reply.logged,
            }),
          );
        });
    },
    options.port,
    "API gateway",
    { errorFormat: gatewayErrorFormat, maxBodyBytes: MAX_PAYLOAD_BYTES },
  );
  return { stop: () => close(server) };
}
