import { createServer } from "node:net";

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Free ports for every engine `npm start` runs, as the environment variables it reads them from. */
export async function freeStackPorts(): Promise<
  Record<"PORT" | "DYNAMODB_PORT" | "COGNITO_PORT" | "LAMBDA_PORT" | "EVENTBRIDGE_PORT" | "SES_PORT" | "SQS_PORT" | "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", string>
> {
  const next = async () => String(await freePort());
  return {
    PORT: await next(),
    DYNAMODB_PORT: await next(),
    COGNITO_PORT: await next(),
    LAMBDA_PORT: await next(),
    EVENTBRIDGE_PORT: await next(),
    SES_PORT: await next(),
    SQS_PORT: await next(),
    // The local Parameters and Secrets extension: without it a second stack takes the fixed 2773.
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: await next(),
  };
}
