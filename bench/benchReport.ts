import type { DynamoUsage } from "./dynamoMeter.js";

export interface Sample extends DynamoUsage {
  handlerMs: number;
}

/** Round trips a route takes beyond the target on purpose, and why. */
export interface Allowance {
  reads?: number;
  writes?: number;
  why: string;
}

export interface RouteResult {
  route: string;
  kind: "read" | "write" | "purge";
  allowance?: Allowance;
  samples: Sample[];
}

const READS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);

/** Prints the per-route cost table, then the check against the round-trip target. */
export function printResults(results: RouteResult[], iterations: number): void {
  const rows = results.map((r) => {
    const { samples } = r;
    return [
      r.route,
      fixed(mean(samples.map((s) => s.calls)), 2),
      operationsOf(samples),
      fixed(mean(samples.map((s) => s.capacityUnits)), 1),
      fixed(median(samples.map((s) => s.handlerMs)), 2),
      fixed(median(samples.map((s) => s.handlerMs - s.dynamoMs)), 2),
      fixed(percentile(samples.map((s) => s.handlerMs), 0.95), 2),
    ];
  });
  out(`\nPer route, ${iterations} calls each (times in ms, in-process; capacity in units per request)\n`);
  out(table(["Route", "DDB calls/req", "Operations", "Capacity/req", "Median", "Median w/o DDB", "p95"], rows));

  const checks = results.filter((r) => r.kind !== "purge").map((r) => {
    const reads = Math.max(...r.samples.map((s) => s.operations.filter((op) => READS.has(op)).length));
    const writes = Math.max(...r.samples.map((s) => s.operations.filter((op) => !READS.has(op)).length));
    const extraReads = r.allowance?.reads ?? 0;
    const extraWrites = r.allowance?.writes ?? 0;
    const pass = reads <= 1 + extraReads && writes <= (r.kind === "read" ? 0 : 1) + extraWrites;
    const base = r.kind === "read" ? "1 round trip" : "<= 1 read + 1 transaction";
    const extra = [extraReads ? `+${extraReads} read` : "", extraWrites ? `+${extraWrites} write` : ""].filter(Boolean).join(" ");
    const target = r.allowance ? `${base} ${extra} (${r.allowance.why})` : base;
    return [r.route, target, `${reads} read(s) + ${writes} write(s)`, pass ? "pass" : "FAIL"];
  });
  out(`\nTarget: reads 1 round trip, writes at most 1 read + 1 transaction, beyond that only the exceptions named (worst call of each route)\n`);
  out(table(["Route", "Target", "Worst observed", "Result"], checks));

  // A purge reads and deletes a whole account: its target is that no delete goes alone.
  const purges = results.filter((r) => r.kind === "purge").map((r) => {
    const alone = Math.max(...r.samples.map((s) => s.operations.filter((op) => op === "DeleteItem").length));
    const transactions = Math.max(...r.samples.map((s) => s.operations.filter((op) => op === "TransactWriteItems").length));
    const batches = Math.max(...r.samples.map((s) => s.operations.filter((op) => op === "BatchWriteItem").length));
    return [r.route, `${batches} BatchWriteItem, ${alone} DeleteItem alone, ${transactions} transaction(s)`, alone === 0 && transactions >= 1 && transactions <= 2 ? "pass" : "FAIL"];
  });
  if (purges.length) {
    out(`\nPurge target: every delete in a BatchWriteItem of up to 25, except two transactions: the marker's (with the user's live links, when there are any) and the final one (profile, claims, user.purged) (worst call)\n`);
    out(table(["Purge", "Worst observed", "Result"], purges));
    out("Plus one Cognito call per purged account: AdminDeleteUser, made by the cognitoSync consumer on user.purged (not part of this in-process run).\n");
  }
}

/** The operation sequences seen, most common first, with their share when calls differ. */
function operationsOf(samples: Sample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const key = s.operations.join(" + ") || "(none)";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 1) return sorted[0]?.[0] ?? "";
  return sorted.map(([ops, n]) => `${ops} (${Math.round((100 * n) / samples.length)}%)`).join("; ");
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |\n`;
  return line(header) + line(widths.map((w) => "-".repeat(w))) + rows.map(line).join("");
}

const out = (text: string) => process.stdout.write(text);
const fixed = (n: number, digits: number) => n.toFixed(digits);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const median = (xs: number[]) => percentile(xs, 0.5);

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}
