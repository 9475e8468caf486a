import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startParametersExtension, type LocalParametersExtension } from "../../../local/ssm/parametersExtension.js";
import { RECORD_DIR_ENV, runAsFunction } from "../awsCallRecorder.js";
import { createKeyedHasher } from "./createKeyedHasher.js";
import { extensionSecretKey } from "./extensionSecretKey.js";
import { createHmacHasher } from "./hmacHasher.js";

const NAME = "/user-service/test/code-secret";
const SECRET = "s".repeat(48);
let extension: LocalParametersExtension;
let reads: number;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  reads = 0;
  extension = await startParametersExtension({
    region: "us-east-1",
    parameters: [{ name: NAME, value: () => Promise.resolve((reads++, SECRET)) }],
  });
  env = { AWS_SESSION_TOKEN: extension.sessionToken, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port) };
});
afterEach(() => extension.stop());

describe("the code secret through the parameters extension", () => {
  it("is read once per container, decrypted, from the configured parameter", async () => {
    const hasher = createKeyedHasher({ region: "us-east-1", codeSecretParameter: NAME }, env);
    const digests = await Promise.all([hasher.digest("a"), hasher.digest("a"), hasher.digest("b")]);

    expect(reads).toBe(1);
    expect(digests[0]).toBe(digests[1]);
    expect(digests[0]).toBe(await createHmacHasher(() => Promise.resolve(Buffer.from(SECRET))).digest("a"));
    expect(digests[2]).not.toBe(digests[0]);
  });

  it("sends the function's session token; refused, it fails and the next digest asks again", async () => {
    const refused = { ...env, AWS_SESSION_TOKEN: "another-function" };
    await expect(extensionSecretKey({ parameterName: NAME }, refused)()).rejects.toThrow(/answered 401/);
    await expect(extensionSecretKey({ parameterName: NAME }, { ...env, AWS_SESSION_TOKEN: "" })()).rejects.toThrow(/AWS_SESSION_TOKEN is not set/);
    await expect(extensionSecretKey({ parameterName: "/user-service/test/other" }, env)()).rejects.toThrow(/400.*ParameterNotFound/);
    expect(reads).toBe(0);

    let token = "stale";
    const hasher = createHmacHasher(() => extensionSecretKey({ parameterName: NAME }, { ...env, AWS_SESSION_TOKEN: token })());
    await expect(hasher.digest("x")).rejects.toThrow(/401/);
    token = extension.sessionToken;
    await expect(hasher.digest("x")).resolves.toMatch(/^[0-9a-f]{64}$/);
  });

  it("is recorded as the function's ssm:GetParameter on the parameter, for the IAM evidence test", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aws-calls-"));
    const previous = process.env[RECORD_DIR_ENV];
    process.env[RECORD_DIR_ENV] = dir;
    try {
      await runAsFunction("addEmail", () => extensionSecretKey({ parameterName: NAME }, env)());
      const [file] = await readdir(dir);
      const lines = (await readFile(join(dir, file ?? ""), "utf8")).trim().split("\n").map((line) => JSON.parse(line) as unknown);
      expect(lines).toEqual([{ function: "addEmail", service: "ssm", action: "GetParameter", resource: NAME }]);
    } finally {
      if (previous === undefined) delete process.env[RECORD_DIR_ENV];
      else process.env[RECORD_DIR_ENV] = previous;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("choosing the key's source", () => {
  it("refuses to hash in Lambda without a parameter, rather than use a key of the container's own", async () => {
    const hasher = createKeyedHasher({ region: "us-east-1" }, { AWS_LAMBDA_FUNCTION_NAME: "addEmail" });
    await expect(hasher.digest("x")).rejects.toThrow("CODE_SECRET_PARAMETER is not set");
  });
});
