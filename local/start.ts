/** `npm start`: the whole local stack in the foreground, until Ctrl-C or SIGTERM, or until a part of it dies. */
import { PortInUseError } from "./server/listen.js";
import { startStack, type Stack } from "./stack.js";

/** How long stopping may take before the process exits anyway (Java gets SIGKILL on exit). */
const STOP_DEADLINE_MS = 10_000;

async function main() {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let stack: Stack | undefined;
  let stopping = false;
  /** Stops every part, then exits (with a last line on stderr); the first reason wins. */
  const stopAndExit = (code: number, lastLine?: string) => {
    if (stopping) return;
    stopping = true;
    const exit = () => {
      if (lastLine) process.stderr.write(`${lastLine}\n`);
      process.exit(code);
    };
    setTimeout(exit, STOP_DEADLINE_MS).unref();
    void (stack ? stack.stop() : Promise.resolve()).then(exit, exit);
  };
  // A bug anywhere in this process must not leave Java or a half-working stack behind.
  const uncaught = (error: unknown) => stopAndExit(1, `Uncaught exception in the local stack (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}): the local stack stopped.`);
  process.on("uncaughtException", uncaught);
  process.on("unhandledRejection", uncaught);

  try {
    stack = await startStack({
      persist: true,
      ...(process.argv.includes("--artifacts") ? { artifacts: true } : {}),
      progress: say,
      // The stack already stopped its other parts; the line names the one that died.
      onFailure: (line) => {
        stopping = true;
        process.stderr.write(`${line}\n`);
        process.exit(1);
      },
      ...(process.env.LOCAL_DATA_DIR ? { dataDir: process.env.LOCAL_DATA_DIR } : {}),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof PortInUseError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  // Before the ready line: whoever waits for it may signal at once (a signal before this would
  // end the process with the default action, exit 130, leaving Java behind).
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (!stopping) say(`${signal}: stopping…`);
      stopAndExit(0);
    });
  }
  say(
    [
      "",
      `User Service is running (local stack, ${stack.artifacts ? "handlers from the packaged zips" : "handlers from the sources"})`,
      `  Web page        ${stack.apiUrl}/`,
      `  API             ${stack.apiUrl}`,
      `  API docs        ${stack.apiUrl}/docs (OpenAPI document: /docs/openapi.yaml)`,
      `  Mailbox         ${stack.apiUrl}/_local/mailbox?to=ADDRESS (SES viewer ${stack.sesEndpoint}/)`,
      `  Events          ${stack.apiUrl}/_local/events (dead letters: /_local/dlq)`,
      `  Cognito         ${stack.cognitoEndpoint} (pool ${stack.userPoolId}, client ${stack.clientId})`,
      `  DynamoDB Local  ${stack.dynamoEndpoint} (table ${stack.tableName})`,
      `  SQS             ${stack.sqsEndpoint} (queues: ${stack.apiUrl}/_local/queues)`,
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

void main();
