import type { ServerResponse } from "node:http";
import { close, listen, parseJson, readText, RequestError, type ErrorFormat } from "../server/listen.js";
import { lambdaContext, loadHandler } from "./lambdaRuntime.js";
import type { ServerlessFunction } from "./serverlessFunctions.js";

export interface LambdaInvokeServer {
  endpoint: string;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Lambda's limit on a synchronous invocation's payload. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body ?? null));
}

/** Lambda's error answers: the type in x-amzn-ErrorType, `{Type, message}` in the body. */
const LAMBDA_ERROR_TYPES: Record<number, string> = {
  400: "InvalidRequestContentException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  408: "RequestTimeoutException",
  413: "RequestTooLargeException",
  431: "RequestTooLargeException",
};
const lambdaError: ErrorFormat = (status, message) => ({
  headers: { "Content-Type": "application/json", "x-amzn-ErrorType": LAMBDA_ERROR_TYPES[status] ?? "ServiceException" },
  body: JSON.stringify({ Type: status < 500 ? "User" : "Service", message }),
});

function functionName(url: string | undefined): string | undefined {
  const match = INVOKE_PATH.exec(url ?? "");
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]).split(":").pop();
  } catch {
    throw new RequestError(400, "Function name is not valid percent-encoding");
  }
}

/**
 * The Lambda Invoke API (RequestResponse) on 127.0.0.1, running our real functions in this process.
 * cognito-local calls it for its triggers with Cognito's event shapes. A thrown error answers as
 * Lambda does, with X-Amz-Function-Error, which Cognito turns into UserLambdaValidationException.
 * Only SDKs call it: a request from a browser page is refused (see listen).
 */
export async function startLambdaInvokeServer(options: {
  port: number;
  functions: ServerlessFunction[];
  region: string;
  /** Extra names for functions, e.g. the Cognito trigger name Cognito puts in its error messages. */
  aliases?: Record<string, string>;
  /** Wraps each invocation (the stack's local fault switch); runs it as is when unset. */
  around?: (fn: ServerlessFunction, event: Record<string, unknown>, invoke: () => Promise<unknown>) => Promise<unknown>;
}): Promise<LambdaInvokeServer> {
  const byName = new Map(options.functions.map((f) => [f.name, f]));
  for (const [alias, name] of Object.entries(options.aliases ?? {})) {
    const fn = byName.get(name);
    if (fn) byName.set(alias, fn);
  }
  const server = await listen(
    async (req, res) => {
      const name = functionName(req.url);
      const fn = name ? byName.get(name) : undefined;
      if (req.method !== "POST" || !fn) throw new RequestError(404, `Function not found: ${name ?? req.url}`);
      const event = parseJson((await readText(req, MAX_PAYLOAD_BYTES)) || "{}", "Could not parse request body into json");
      // Every trigger event is an object; anything else could only fail inside the handler.
      if (typeof event !== "object" || event === null || Array.isArray(event)) {
        throw new RequestError(400, "Could not parse request body into a JSON object");
      }
      // cognito-local says "local"; Cognito names the pool's region.
      if ("region" in event) Object.assign(event, { region: options.region });
      try {
        const handler = await loadHandler(fn.handler);
        const invoke = () => handler(event, lambdaContext(fn.name, 5_000, options.region));
        const result = await (options.around ? options.around(fn, event as Record<string, unknown>, invoke) : invoke());
        send(res, 200, result);
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        console.error(JSON.stringify({ level: "ERROR", message: "Lambda invocation failed", function: fn.name, error: err.message }));
        send(res, 200, { errorType: err.name, errorMessage: err.message }, { "X-Amz-Function-Error": "Unhandled" });
      }
    },
    options.port,
    "Lambda invoke server",
    { errorFormat: lambdaError, refuseBrowsers: true, maxBodyBytes: MAX_PAYLOAD_BYTES },
  );
  return { endpoint: `http://127.0.0.1:${options.port}`, stop: () => close(server) };
}
