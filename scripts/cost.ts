import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  COGNITO_PRICES_CHECKED,
  cognitoMonthly,
  DEFAULT_FEATURE_PLAN,
  FEATURE_PLANS,
  monthlyCost,
  SEED_ASSUMPTIONS,
  SEED_TABLE,
  total,
  type CostAssumptions,
  type FeaturePlan,
} from "./costModel.js";

/**
 * npm run cost -- --mau N [--duration-ms D] [--cold-start-share S] [--plan LITE|ESSENTIALS|PLUS]
 * Prints the monthly cost at N monthly active users (default: the seed's 10K, 100K, 1M) twice:
 * from the seed's assumptions, and with our measurements: the module-load time from
 * `npm run bench:cold` (bench/results/coldStart.json) as billed init time, and the handler duration
 * given with --duration-ms (the median from `npm run bench`, plus DynamoDB's latency in AWS); and
 * Cognito at today's price of the pool's feature plan (--plan, default Terraform's), where the seed
 * has one flat price. Then Cognito alone on each feature plan. Assumptions and dates: docs/cost.md.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    mau: { type: "string" },
    "duration-ms": { type: "string" },
    "cold-start-share": { type: "string", default: "0.02" },
    plan: { type: "string", default: DEFAULT_FEATURE_PLAN },
  },
});
const plan = values.plan?.toUpperCase() as FeaturePlan;
if (!FEATURE_PLANS.includes(plan)) {
  process.stderr.write(`--plan: one of ${FEATURE_PLANS.join(", ")}\n`);
  process.exit(2);
}

const coldStartFile = join(ROOT, "bench", "results", "coldStart.json");
const measuredInitMs = existsSync(coldStartFile)
  ? (() => {
      const data = JSON.parse(readFileSync(coldStartFile, "utf8")) as { functions: { loadMs: number }[] };
      return data.functions.reduce((sum, f) => sum + f.loadMs, 0) / Math.max(1, data.functions.length);
    })()
  : undefined;

const measured: CostAssumptions = {
  ...SEED_ASSUMPTIONS,
  lambdaDurationMs: values["duration-ms"] ? Number(values["duration-ms"]) : SEED_ASSUMPTIONS.lambdaDurationMs,
  coldStartShare: Number(values["cold-start-share"]),
  initDurationMs: measuredInitMs ?? 0,
  cognitoPlan: plan,
};

const scales = values.mau ? [Number(values.mau)] : [10_000, 100_000, 1_000_000];
if (scales.some((n) => !Number.isFinite(n) || n < 0)) {
  process.stderr.write("usage: npm run cost -- --mau N\n");
  process.exit(2);
}

const money = (n: number) => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString("en-US")}`;
const pad = (s: string, w: number) => s.padEnd(w);
const out = (s = "") => process.stdout.write(`${s}\n`);

out("Assumptions (seed): 10 API calls and 2 events per user per month, 100 ms, 256 MB arm64, 500-byte items, 1 KB of logs per call.");
out(
  `Measured: handler ${measured.lambdaDurationMs} ms${values["duration-ms"] ? "" : " (pass --duration-ms to use a measurement)"}, ` +
    (measuredInitMs === undefined
      ? "no cold-start data (run npm run bench:cold)"
      : `init ${measuredInitMs.toFixed(0)} ms on ${(measured.coldStartShare * 100).toFixed(0)}% of invocations (bench:cold)`) +
    `, Cognito on the ${plan} feature plan at the prices of ${COGNITO_PRICES_CHECKED} (the seed: $0.0055 per MAU after 50K free).`,
);
for (const mau of scales) {
  const seed = monthlyCost(mau, SEED_ASSUMPTIONS);
  const ours = monthlyCost(mau, measured);
  const printed = SEED_TABLE[mau];
  out();
  out(`${mau.toLocaleString("en-US")} MAU, per month`);
  out(`${pad("Component", 22)}${pad("seed assumptions", 18)}${pad("measured", 12)}${printed ? "seed's table" : ""}`);
  seed.forEach((line, index) => {
    out(
      `${pad(line.component, 22)}${pad(money(line.monthly), 18)}${pad(money(ours[index]?.monthly ?? 0), 12)}${printed ? money(printed[line.component] ?? 0) : ""}`,
    );
  });
  const printedTotal = printed ? Object.values(printed).reduce((a, b) => a + b, 0) : undefined;
  out(`${pad("Total", 22)}${pad(money(total(seed)), 18)}${pad(money(total(ours)), 12)}${printedTotal === undefined ? "" : money(printedTotal)}`);
}

out();
out(`Cognito alone, per month, by feature plan (prices of ${COGNITO_PRICES_CHECKED}; Terraform: cognito_feature_plan)`);
out(`${pad("Plan", 27)}${scales.map((mau) => pad(`${mau.toLocaleString("en-US")} MAU`, 16)).join("")}`);
for (const option of FEATURE_PLANS) {
  out(`${pad(option === plan ? `${option} (priced above)` : option, 27)}${scales.map((mau) => pad(money(cognitoMonthly(mau, option)), 16)).join("")}`);
}
out(`${pad("seed's figure", 27)}${scales.map((mau) => pad(money(monthlyCost(mau, SEED_ASSUMPTIONS)[3]?.monthly ?? 0), 16)).join("")}`);
