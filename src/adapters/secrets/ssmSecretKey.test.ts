import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKeyedHasher } from "./createKeyedHasher.js";
import { createHmacHasher } from "./hmacHasher.js";
import { ssmSecretKey } from "./ssmSecretKey.js";

const SECRET = "s".repeat(48);
let server: Server;
let endpoint: string;
let requests: { target: string | undefined; body: Record<string, unknown> }[];

const bodyOf = async (req: IncomingMessage) => {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Record<string, unknown>;
};

/** Answers SSM's JSON protocol as AWS does for a SecureString read with decryption. */
beforeEach(async () => {
  requests = [];
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      requests.push({ target: req.headers["x-amz-target"] as string | undefined, body });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ Parameter: { Name: body.Name, Type: "SecureString", Value: SECRET, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the code secret in SSM", () => {
  it("is read once per container, decrypted, from the configured parameter", async () => {
    const hasher = createHmacHasher(ssmSecretKey({ parameterName: "/user-service/test/code-secret", region: "us-east-1", endpoint }));
    const digests = await Promise.all([hasher.digest("a"), hasher.digest("a"), hasher.digest("b")]);

    expect(requests).toEqual([
      { target: "AmazonSSM.GetParameter", body: { Name: "/user-service/test/code-secret", WithDecryption: true } },
    ]);
    expect(digests[0]).toBe(digests[1]);
    expect(digests[0]).toBe(await createHmacHasher(() => Promise.resolve(Buffer.from(SECRET))).digest("a"));
  });
});

describe("choosing the key's source", () => {
  it("refuses to hash in Lambda without a parameter, rather than use a key of the container's own", async () => {
    const hasher = createKeyedHasher({ region: "us-east-1" }, { AWS_LAMBDA_FUNCTION_NAME: "addEmail" });
    await expect(hasher.digest("x")).rejects.toThrow("CODE_SECRET_PARAMETER is not set");
  });
});
