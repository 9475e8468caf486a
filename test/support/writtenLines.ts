import { afterEach, beforeEach, vi } from "vitest";

/**
 * The JSON lines Powertools writes (log lines, and the metrics' EMF lines) during each test of the
 * calling file, parsed, read from stdout and stderr where Lambda reads them. Registers the hooks
 * that start each test with none and put the streams back after it; the suites silence logging,
 * so a file that reads lines sets its level in `vi.hoisted` before the logger is made.
 */
export function writtenLines(): () => Record<string, unknown>[] {
  let lines: Record<string, unknown>[] = [];
  beforeEach(() => {
    lines = [];
    const capture = (chunk: string | Uint8Array) => {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(capture);
    vi.spyOn(process.stderr, "write").mockImplementation(capture);
  });
  afterEach(() => vi.restoreAllMocks());
  return () => lines;
}
