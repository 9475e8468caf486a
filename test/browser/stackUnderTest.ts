import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startStack } from "../../local/start.js";

/** Where the browser test points: a stack already running, or one started for this test. */
export interface StackUnderTest {
  /** The origin serving the page, /_local/* and the API. */
  url: string;
  stop(): Promise<void>;
}

export async function openStack(): Promise<StackUnderTest> {
  // The walkthrough reads codes from the local mailbox, so an external URL must be a local stack's.
  const external = process.env.STACK_URL ?? process.env.API_URL;
  if (external) return { url: external.replace(/\/+$/, ""), stop: async () => {} };

  const dataDir = await mkdtemp(path.join(tmpdir(), "user-service-browser-"));
  const stack = await startStack({ port: 0, freePorts: true, persist: false, dataDir, requestLog: () => undefined });
  return {
    url: stack.apiUrl,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
