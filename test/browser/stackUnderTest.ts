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
  const startPath = "../../local/start.js";
  const { startStack } = (await import(startPath)) as {
    startStack(options: Record<string, unknown>): Promise<{ url: string; stop(): Promise<void> }>;
  };
  return startStack({});
}
