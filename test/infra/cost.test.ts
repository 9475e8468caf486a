import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  COGNITO_PLANS,
  COGNITO_PRICES_CHECKED,
  cognitoMonthly,
  DEFAULT_FEATURE_PLAN,
  FEATURE_PLANS,
  monthlyCost,
  PRICES,
  SEED_ASSUMPTIONS,
  total,
} from "../../scripts/costModel.js";
import { readTerraform, resource } from "./support/terraform.js";

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

  it("npm run cost prices Cognito by the feature plan beside the seed's figure, and names the prices' date", async () => {
    const run = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/cost.ts", ...args], { cwd: ROOT });
    const { stdout } = await run("--mau", "100000", "--plan", "essentials");
    // seed assumptions $275 (flat $0.0055 after 50K free), ours on Essentials: 90,000 x $0.015
    expect(stdout).toMatch(/Cognito\s+\$275\s+\$1,350\s+\$275/);
    expect(stdout).toContain(`ESSENTIALS feature plan at the prices of ${COGNITO_PRICES_CHECKED}`);
    expect(stdout).toMatch(/^LITE\s+\$495\s*$/m);
    expect(stdout).toMatch(/^PLUS\s+\$2,000\s*$/m);
    await expect(run("--plan", "gold")).rejects.toMatchObject({ code: 2 });
  });
});

describe("Cognito by feature plan", () => {
  it("bills the free MAUs first, then each Lite band at its own price", () => {
    expect(cognitoMonthly(10_000, "LITE")).toBe(0);
    expect(cognitoMonthly(100_000, "LITE")).toBeCloseTo(90_000 * 0.0055, 6);
    expect(cognitoMonthly(1_000_000, "LITE")).toBeCloseTo(90_000 * 0.0055 + 900_000 * 0.0046, 6);
    expect(cognitoMonthly(20_000_000, "LITE")).toBeCloseTo(90_000 * 0.0055 + 900_000 * 0.0046 + 9_000_000 * 0.00325 + 10_000_000 * 0.0025, 4);
  });

  it("has a smaller free band and a higher price on Essentials than the seed assumed; Plus has no free band", () => {
    expect(COGNITO_PLANS.ESSENTIALS.freeMau).toBeLessThan(PRICES.cognitoFreeMau);
    expect(cognitoMonthly(100_000, "ESSENTIALS")).toBeCloseTo(90_000 * 0.015, 6);
    expect(cognitoMonthly(100_000, "ESSENTIALS")).toBeGreaterThan(line(100_000, "Cognito") ?? Infinity);
    expect(cognitoMonthly(1, "PLUS")).toBeCloseTo(0.02, 6);
    for (const plan of FEATURE_PLANS) expect(cognitoMonthly(0, plan)).toBe(0);
  });

  it("prices by the plan Terraform sets by default, and the date of the prices is in docs/cost.md", async () => {
    const tf = await readTerraform();
    expect(resource(tf, "aws_cognito_user_pool", "main").user_pool_tier).toBe("${var.cognito_feature_plan}");
    expect(tf.variable.cognito_feature_plan?.[0]?.default).toBe(DEFAULT_FEATURE_PLAN);
    const doc = readFileSync(resolve(ROOT, "docs/cost.md"), "utf8");
    expect(doc).toContain(COGNITO_PRICES_CHECKED);
    for (const plan of FEATURE_PLANS) expect(doc).toContain(plan);
    expect(monthlyCost(100_000, { ...SEED_ASSUMPTIONS, cognitoPlan: "ESSENTIALS" }).find((l) => l.component === "Cognito")?.monthly).toBeCloseTo(1350, 6);
  });
});
