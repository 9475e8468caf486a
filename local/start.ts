/** `npm start`: the whole local stack in the foreground, until Ctrl-C or SIGTERM. */
import { PortInUseError } from "./listen.js";
import { startStack, type Stack } from "./stack.js";

async function main() {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let stack: Stack;
  try {
    stack = await startStack({ persist: true, progress: say, ...(process.env.LOCAL_DATA_DIR ? { dataDir: process.env.LOCAL_DATA_DIR } : {}) });
  } catch (error) {
    process.stderr.write(`${error instanceof PortInUseError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  say(
    [
      "",
      `User Service is running (local stack)`,
      `  Web page        ${stack.apiUrl}/`,
      `  API             ${stack.apiUrl}`,
      `  OpenAPI         ${stack.apiUrl}/docs`,
      `  Mailbox         ${stack.apiUrl}/_local/mailbox?to=ADDRESS`,
      `  Events          ${stack.apiUrl}/_local/events (dead letters: /_local/dlq)`,
      `  Cognito         ${stack.cognitoEndpoint} (pool ${stack.userPoolId}, client ${stack.clientId})`,
      `  DynamoDB Local  ${stack.dynamoEndpoint} (table ${stack.tableName})`,
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    void stack.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
