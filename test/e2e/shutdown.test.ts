import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, freeStackPorts } from "../../local/freePort.js";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");

/** `npm start` as a developer runs it, on free ports and a throwaway data folder. */
async function spawnStack(env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), "user-service-start-"));
  const child = spawn(process.execPath, [tsx, "local/start.ts"], {
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }), cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}

const processesMatching = (pattern: string) => {
  try {
    return execFileSync("pgrep", ["-f", pattern]).toString().trim();
  } catch {
    return "";
  }
};

describe.skipIf(Boolean(process.env.API_URL))("npm start's process lifecycle", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("%s stops every engine, DynamoDB Local's Java included", async (signal) => {
    const ports = await freeStackPorts();
    const stack = await spawnStack(ports);
    try {
      const deadline = Date.now() + 60_000;
      while (!stack.output().stdout.includes("Ctrl-C stops everything")) {
        if (Date.now() > deadline) throw new Error(`stack did not start:\n${stack.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await fetch(`http://127.0.0.1:${ports.PORT}/_local/health`)).status).toBe(200);
      expect(processesMatching(`DynamoDBLocal.jar -port ${ports.DYNAMODB_PORT} `)).not.toBe("");

      stack.child.kill(signal);
      expect(await stack.exited).toBe(0);
      expect(processesMatching(`DynamoDBLocal.jar -port ${ports.DYNAMODB_PORT} `)).toBe("");
      await expect(fetch(`http://127.0.0.1:${ports.COGNITO_PORT}/health`)).rejects.toThrow();
    } finally {
      stack.child.kill("SIGKILL");
      await stack.cleanup();
    }
  }, 90_000);

  it("a port in use is one clear line, and nothing is left running", async () => {
    const holder = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
    const dynamoPort = await freePort();
    const stack = await spawnStack({ PORT: String(port), DYNAMODB_PORT: String(dynamoPort) });
    try {
      expect(await stack.exited).toBe(1);
      expect(stack.output().stderr.trim().split("\n").at(-1)).toBe(
        `API gateway (PORT): port ${port} on 127.0.0.1 is already in use. Stop what holds it or choose another port.`,
      );
      expect(processesMatching(`DynamoDBLocal.jar -port ${dynamoPort} `)).toBe("");
    } finally {
      holder.close();
      await stack.cleanup();
    }
  }, 30_000);
});
