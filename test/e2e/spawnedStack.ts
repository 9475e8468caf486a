import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropStackEnvironment } from "../../local/stackEnvironment.js";

export interface SpawnedStack {
  /** The Node process running local/start.ts, as `npm start` runs it (one process, no launcher). */
  child: ChildProcess;
  /** The stack's exit code. */
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** Resolves once the stack printed its ready banner; fails with its stderr otherwise. */
  ready(timeoutMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * `npm start` as a developer runs it (`artifacts`: `npm run start:artifacts`), on the given ports
 * and a throwaway data folder.
 */
export async function spawnStack(env: Record<string, string>, options: { nodeOptions?: string; artifacts?: boolean } = {}): Promise<SpawnedStack> {
  const dataDir = await mkdtemp(join(tmpdir(), "user-service-start-"));
  const child = spawn(process.execPath, ["--import", "tsx", "local/start.ts", ...(options.artifacts ? ["--artifacts"] : [])], {
    env: {
      // The e2e stack in vitest's main process set its own variables there: not this stack's.
      ...dropStackEnvironment({ ...process.env }),
      LOCAL_DATA_DIR: dataDir,
      ...(options.nodeOptions ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${options.nodeOptions}`.trim() } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes("Ctrl-C stops everything")) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`stack did not start:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** Pids of processes whose command line matches `pattern` (pgrep -f), as one string; "" for none. */
export function processesMatching(pattern: string): string {
  try {
    return execFileSync("pgrep", ["-f", pattern]).toString().trim();
  } catch {
    return "";
  }
}

/** DynamoDB Local's Java process for the stack on this port, as pgrep finds it. */
export const javaPattern = (dynamoPort: string | number) => `DynamoDBLocal.jar -port ${dynamoPort} `;

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
