import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../local/server/freePort.js";
import { detectTarget } from "../e2e/target.js";

const DEPLOYED_ENV = {
  COGNITO_CLIENT_ID: "client-123",
  AWS_REGION: "eu-west-1",
  TEST_USER_EMAIL: "smoke@example.com",
  TEST_USER_PASSWORD: "Correct-Horse-9",
};

let server: Server | undefined;

/** An API that answers `/_local/health` with the given status, as the local stack (200) or a stage does. */
async function apiAnswering(healthStatus: number): Promise<string> {
  server = createServer((request, response) => {
    const status = request.url === "/_local/health" ? healthStatus : 404;
    response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ statusCode: status }));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running) await new Promise((resolve) => running.close(resolve));
});

describe("detectTarget: which stack the e2e suite runs against", () => {
  it("is the local stack when /_local/health answers 200, whatever the environment says", async () => {
    expect(await detectTarget(await apiAnswering(200), DEPLOYED_ENV)).toEqual({ kind: "local" });
  });

  it.each([404, 401, 403])("is a deployed stage when /_local/health answers %i, configured from the environment", async (status) => {
    expect(await detectTarget(await apiAnswering(status), DEPLOYED_ENV)).toEqual({
      kind: "deployed",
      region: "eu-west-1",
      clientId: "client-123",
      email: "smoke@example.com",
      password: "Correct-Horse-9",
    });
  });

  it("names every missing setting of a deployed stage", async () => {
    const { COGNITO_CLIENT_ID: _client, TEST_USER_PASSWORD: _password, ...partial } = DEPLOYED_ENV;
    await expect(detectTarget(await apiAnswering(404), partial)).rejects.toThrow(/set COGNITO_CLIENT_ID, TEST_USER_PASSWORD to test it/);
  });

  it("says so when nothing answers at the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await expect(detectTarget(url, DEPLOYED_ENV)).rejects.toThrow(`No API answers at ${url}`);
  });
});
