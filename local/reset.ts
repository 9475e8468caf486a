import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

/** `npm run reset`: wipes the local stack's data (DynamoDB tables, Cognito pool and users). */
const folder = join(resolve(import.meta.dirname, ".."), ".local");
const port = Number(process.env.PORT) || 3000;

const running = await fetch(`http://127.0.0.1:${port}/_local/health`, { signal: AbortSignal.timeout(500) })
  .then((response) => response.ok)
  .catch(() => false);
if (running) {
  process.stderr.write(`The local stack is running on port ${port}: stop it (Ctrl-C) before resetting.\n`);
  process.exit(1);
}
if (existsSync(folder)) {
  rmSync(folder, { recursive: true, force: true });
  process.stdout.write(`Removed ${folder}: the next npm start begins with an empty table and a new user pool.\n`);
} else {
  process.stdout.write("Nothing to reset: no .local folder.\n");
}
