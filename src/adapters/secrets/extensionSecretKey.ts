import { request } from "node:http";
import { recordCall } from "../awsCallRecorder.js";

/** Where the AWS Parameters and Secrets Lambda Extension listens unless told otherwise. */
export const DEFAULT_EXTENSION_PORT = 2773;
/** Longer than the extension's own SSM timeout (SSM_PARAMETER_STORE_TIMEOUT_MILLIS in serverless.yml). */
const REQUEST_TIMEOUT_MS = 5_000;

export interface ExtensionSecretConfig {
  /** Name of the SecureString parameter, e.g. /user-service/prod/code-secret. */
  parameterName: string;
}

interface ExtensionAnswer {
  Parameter?: { Value?: string };
}

/**
 * The secret in AWS: an SSM SecureString read through the AWS Parameters and Secrets Lambda
 * Extension (a layer; serverless.yml custom.parametersExtensionLayers), a plain HTTP GET on
 * localhost. The extension calls SSM GetParameter, decrypting, with the function's own role; the
 * function bundles no SSM client (about 0.1x of the SDK floor's cold load, bench/coldStart.ts).
 * The extension answers only during an invocation, which is when the first digest asks; the
 * caller (createHmacHasher) keeps the value for the container's life.
 *
 * The extension wants the function's session token in X-Aws-Parameters-Secrets-Token, and the
 * port may be moved with PARAMETERS_SECRETS_EXTENSION_HTTP_PORT (the local stack does: its
 * local/ssm/parametersExtension.ts speaks the same protocol).
 */
export function extensionSecretKey(config: ExtensionSecretConfig, env: NodeJS.ProcessEnv = process.env): () => Promise<Uint8Array> {
  return async () => {
    const token = env.AWS_SESSION_TOKEN;
    if (!token) throw new Error("AWS_SESSION_TOKEN is not set: the parameters extension needs the function's session token");
    const port = Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || DEFAULT_EXTENSION_PORT);
    // What the extension does on the function's behalf, for the IAM evidence test (test/iam/).
    recordCall("SSMClient", "GetParameterCommand", { Name: config.parameterName, WithDecryption: true });
    const query = new URLSearchParams({ name: config.parameterName, withDecryption: "true" });
    const { status, body } = await get(port, `/systemsmanager/parameters/get?${query}`, token);
    // The body of a refusal names the parameter and the reason, never a value.
    if (status !== 200) throw new Error(`Parameters extension answered ${status} for ${config.parameterName}: ${body.slice(0, 300)}`);
    const value = (JSON.parse(body) as ExtensionAnswer).Parameter?.Value;
    if (!value) throw new Error(`SSM parameter ${config.parameterName} has no value`);
    return Buffer.from(value, "utf8");
  };
}

function get(port: number, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "localhost", family: 4, port, path, method: "GET", headers: { "X-Aws-Parameters-Secrets-Token": token }, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`Parameters extension on port ${port} did not answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end();
  });
}
