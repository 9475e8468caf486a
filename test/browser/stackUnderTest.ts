import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startStack } from "../../local/stack.js";
import { dropStackEnvironment } from "../../local/stackEnvironment.js";

export interface StackUnderTest {
  /** The origin serving the page, /_local/* and the API. */
  url: string;
  stop(): Promise<void>;
}

/** True when `url` is a running local stack: the walkthrough needs its mailbox and event endpoints. */
async function isLocalStack(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/_local/health`, { signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * STACK_URL (or API_URL, when it is a local stack's) points at a stack already running; a deployed
 * API_URL has no mailbox to read codes from, so the walkthrough then starts its own local stack.
 */
export async function openStack(): Promise<StackUnderTest> {
  const running = (url: string) => ({ url, stop: async () => {} });
  const stackUrl = process.env.STACK_URL?.replace(/\/+$/, "");
  if (stackUrl) {
    if (!(await isLocalStack(stackUrl))) throw new Error(`STACK_URL ${stackUrl} is not a running local stack`);
    return running(stackUrl);
  }
  const apiUrl = process.env.API_URL?.replace(/\/+$/, "");
  if (apiUrl && (await isLocalStack(apiUrl))) return running(apiUrl);

  // Not the e2e stack's page and servers, inherited from vitest's main process: this stack's own.
  dropStackEnvironment(process.env);
  const dataDir = await mkdtemp(path.join(tmpdir(), "user-service-browser-"));
  // The shipped artifact: the handlers inside the packaged zips (STACK_FROM_SOURCES=1: the sources).
  const stack = await startStack({ port: 0, freePorts: true, persist: false, dataDir, requestLog: () => undefined, artifacts: process.env.STACK_FROM_SOURCES !== "1" });
  return {
    url: stack.apiUrl,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
