import { createServer } from "node:net";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, freeStackPorts } from "../../local/server/freePort.js";
import { isRunning, javaPattern, processesMatching, spawnStack, type SpawnedStack } from "./spawnedStack.js";

/** Nothing of the stack answers any more: every port it listened on is closed. */
async function expectAllPortsClosed(ports: Record<string, string>) {
  for (const [name, port] of Object.entries(ports)) {
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }), name).rejects.toThrow();
  }
}

/** The stack exits with `code`, leaving no Java and no Node process of its own behind. */
async function expectStoppedCleanly(stack: SpawnedStack, ports: Record<string, string>, code: number, stackProcess: number) {
  expect(await stack.exited, stack.output().stderr).toBe(code);
  expect(processesMatching(javaPattern(ports.DYNAMODB_PORT ?? ""))).toBe("");
  expect(isRunning(stackProcess)).toBe(false);
  await expectAllPortsClosed(ports);
}

describe.skipIf(Boolean(process.env.API_URL))("npm start's process lifecycle", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("%s stops every engine, DynamoDB Local's Java included", async (signal) => {
    const ports = await freeStackPorts();
    const stack = await spawnStack(ports);
    try {
      await stack.ready();
      expect((await fetch(`http://127.0.0.1:${ports.PORT}/_local/health`)).status).toBe(200);
      expect(processesMatching(javaPattern(ports.DYNAMODB_PORT))).not.toBe("");
      const stackProcess = stack.child.pid ?? 0;

      stack.child.kill(signal);
      await expectStoppedCleanly(stack, ports, 0, stackProcess);
    } finally {
      stack.child.kill("SIGKILL");
      await stack.cleanup();
    }
  }, 90_000);

  it("DynamoDB Local dying stops the whole stack with one line naming it, and nothing is left running", async () => {
    const ports = await freeStackPorts();
    const stack = await spawnStack(ports);
    try {
      await stack.ready();
      const stackProcess = stack.child.pid ?? 0;
      const java = Number(processesMatching(javaPattern(ports.DYNAMODB_PORT)));
      expect(java).toBeGreaterThan(0);

      process.kill(java, "SIGKILL");
      await expectStoppedCleanly(stack, ports, 1, stackProcess);
      expect(stack.output().stderr.trim().split("\n").at(-1)).toBe(
        `DynamoDB Local (Java, pid ${java}) exited unexpectedly (signal SIGKILL): the local stack stopped.`,
      );
    } finally {
      stack.child.kill("SIGKILL");
      await stack.cleanup();
    }
  }, 90_000);

  it("an uncaught exception in the stack process stops everything, Java included", async () => {
    const ports = await freeStackPorts();
    const preload = resolve(import.meta.dirname, "failOnSignal.mjs");
    const stack = await spawnStack(ports, { nodeOptions: `--import ${preload}` });
    try {
      await stack.ready();
      const stackProcess = stack.child.pid ?? 0;
      expect(processesMatching(javaPattern(ports.DYNAMODB_PORT))).not.toBe("");

      process.kill(stackProcess, "SIGUSR2");
      await expectStoppedCleanly(stack, ports, 1, stackProcess);
      expect(stack.output().stderr.trim().split("\n").at(-1)).toBe(
        "Uncaught exception in the local stack (Error: failure injected by the e2e test): the local stack stopped.",
      );
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
      expect(processesMatching(javaPattern(dynamoPort))).toBe("");
    } finally {
      holder.close();
      await stack.cleanup();
    }
  }, 30_000);
});
