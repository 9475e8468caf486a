import type { ServerResponse } from "node:http";
import { close, listen, readText } from "./listen.js";
import { lambdaContext, loadHandler } from "./lambdaRuntime.js";
import type { ServerlessFunction } from "./serverlessFunctions.js";

export interface LambdaInvokeServer {
  endpoint: string;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body ?? null));
}

/**
 * The Lambda Invoke API (RequestResponse) on 127.0.0.1, running our real functions in this process.
 * cognito-local calls it for its triggers with Cognito's event shapes. A thrown error answers as
 * Lambda does, with X-Amz-Function-Error, which Cognito turns into UserLambdaValidationException.
 */
export async function startLambdaInvokeServer(options: {
  port: number;
  functions: ServerlessFunction[];
  region: string;
  /** Extra names for functions, e.g. the Cognito trigger name Cognito puts in its error messages. */
  aliases?: Record<string, string>;
}): Promise<LambdaInvokeServer> {
  const byName = new Map(options.functions.map((f) => [f.name, f]));
  for (const [alias, name] of Object.entries(options.aliases ?? {})) {
    const fn = byName.get(name);
    if (fn) byName.set(alias, fn);
  }
  const server = await listen(
    (req, res) => {
      void (async () => {
        const match = INVOKE_PATH.exec(req.url ?? "");
        const name = match?.[1] ? decodeURIComponent(match[1]).split(":").pop() : undefined;
        const fn = name ? byName.get(name) : undefined;
        if (req.method !== "POST" || !fn) {
          send(res, 404, { Type: "User", message: `Function not found: ${name ?? req.url}` }, {
            "x-amzn-ErrorType": "ResourceNotFoundException",
          });
          return;
        }
        const raw = await readText(req);
        const event = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        // cognito-local says "local"; Cognito names the pool's region.
        if ("region" in event) event.region = options.region;
        try {
          const handler = await loadHandler(fn.handler);
          const result = await handler(event, lambdaContext(fn.name, 5_000, options.region));
          send(res, 200, result);
        } catch (error) {
          const err = error instanceof Error ? error : new Error(String(error));
          console.error(JSON.stringify({ level: "ERROR", message: "Lambda invocation failed", function: fn.name, error: err.message }));
          send(res, 200, { errorType: err.name, errorMessage: err.message }, { "X-Amz-Function-Error": "Unhandled" });
        }
      })();
    },
    options.port,
    "Lambda invoke server",
  );
  return { endpoint: `http://127.0.0.1:${options.port}`, stop: () => close(server) };
}
