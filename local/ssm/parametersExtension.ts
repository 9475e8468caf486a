import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { close, listen, RequestError, type ErrorFormat } from "../server/listen.js";

/** A SecureString the local extension serves: its name and where its value comes from. */
export interface LocalParameter {
  name: string;
  /** Read on each request, as the extension reads SSM when its cache is cold. */
  value: () => Promise<string>;
}

export interface LocalParametersExtension {
  port: number;
  /** What the function must send in X-Aws-Parameters-Secrets-Token (Lambda: AWS_SESSION_TOKEN). */
  sessionToken: string;
  stop(): Promise<void>;
}

/** The extension answers refusals in plain text, not in an AWS error shape. */
const textError: ErrorFormat = (status, message) => ({ headers: { "Content-Type": "text/plain" }, body: message });

const ACCOUNT = "000000000000";

/**
 * The AWS Parameters and Secrets Lambda Extension's Parameter Store protocol, for the local stack:
 * `GET /systemsmanager/parameters/get?name=<name>&withDecryption=true` with the function's session
 * token in X-Aws-Parameters-Secrets-Token, answered with GetParameter's JSON. So the handlers
 * (sources or packaged zips) read the code secret through the same adapter as in Lambda
 * (src/adapters/secrets/extensionSecretKey.ts). Stricter than AWS where that helps a test fail:
 * a read without decryption is refused (our parameters are all SecureStrings, and the adapter
 * always decrypts) instead of answering ciphertext.
 */
export async function startParametersExtension(options: { port?: number; region: string; parameters: LocalParameter[] }): Promise<LocalParametersExtension> {
  const sessionToken = randomBytes(24).toString("base64url");
  const byName = new Map(options.parameters.map((parameter) => [parameter.name, parameter]));
  const server = await listen(
    async (req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method !== "GET" || url.pathname.replace(/\/$/, "") !== "/systemsmanager/parameters/get") {
        throw new RequestError(404, `${req.method} ${url.pathname} is not a parameters extension route`);
      }
      if (req.headers["x-aws-parameters-secrets-token"] !== sessionToken) {
        throw new RequestError(401, "X-Aws-Parameters-Secrets-Token is missing or is not this function's session token");
      }
      const name = url.searchParams.get("name") ?? "";
      const parameter = byName.get(name);
      if (!parameter) throw new RequestError(400, `ParameterNotFound: ${name}`);
      if (url.searchParams.get("withDecryption") !== "true") {
        throw new RequestError(400, `${name} is a SecureString: ask withDecryption=true`);
      }
      const body = JSON.stringify({
        Parameter: {
          ARN: `arn:aws:ssm:${options.region}:${ACCOUNT}:parameter${name}`,
          DataType: "text",
          LastModifiedDate: new Date(0).toISOString(),
          Name: name,
          Selector: null,
          SourceResult: null,
          Type: "SecureString",
          Value: await parameter.value(),
          Version: 1,
        },
        ResultMetadata: {},
      });
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    },
    options.port ?? 0,
    "Parameters extension",
    { errorFormat: textError, refuseBrowsers: true },
  );
  return { port: (server.address() as AddressInfo).port, sessionToken, stop: () => close(server) };
}
