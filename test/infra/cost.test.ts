import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { monthlyCost, PRICES, SEED_ASSUMPTIONS, total } from "../../scripts/costModel.js";

const ROOT = resolve(import.meta.dirname, "../..");
const line = (mau: number, component: string) => monthlyCost(mau, SEED_ASSUMPTIONS).find((l) => l.component === component)?.monthly;

describe("cost model", () => {
  it("follows the seed's assumptions: 10 calls per user on API Gateway REST, Cognito free up to 50K MAU", () => {
    expect(line(100_000, "API Gateway")).toBeCloseTo((100_000 * 10 * PRICES.apiGatewayRestPerMillion) / 1e6, 6);
    expect(line(10_000, "Cognito")).toBe(0);
    expect(line(100_000, "Cognito")).toBeCloseTo(275, 6); // the seed's figure
    expect(line(1_000_000, "Cognito")).toBeCloseTo(950_000 * 0.0055, 6);
    expect(line(1_000_000, "EventBridge")).toBeCloseTo(2, 6);
  });

  it("bills Lambda by GB-seconds at 256 MB, and adds billed init time when cold starts are measured", () => {
    const warm = line(100_000, "Lambda") ?? 0;
    const invocations = 100_000 * (10 + 2 * 2);
    expect(warm).toBeCloseTo(invocations * 0.1 * 0.25 * PRICES.lambdaGbSecondArm + (invocations / 1e6) * 0.2, 6);
    const cold = monthlyCost(100_000, { ...SEED_ASSUMPTIONS, coldStartShare: 0.1, initDurationMs: 500 });
    expect(cold.find((l) => l.component === "Lambda")?.monthly ?? 0).toBeGreaterThan(warm);
  });

  it("grows with users", () => {
    expect(total(monthlyCost(1_000_000, SEED_ASSUMPTIONS))).toBeGreaterThan(total(monthlyCost(100_000, SEED_ASSUMPTIONS)));
  });

  it("npm run cost -- --mau N prints the table for N", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/cost.ts", "--mau", "100000"], { cwd: ROOT });
    expect(stdout).toContain("100,000 MAU, per month");
    expect(stdout).toMatch(/Cognito\s+\$275/);
    expect(stdout).toMatch(/Total\s+\$\d/);
  });
});
