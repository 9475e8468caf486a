import { build, type BuildOptions, type Plugin } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { readServerlessFunctions } from "../local/lambda/serverlessFunctions.js";
import { packageService } from "../scripts/packageService.js";

/**
 * npm run bench:cold [-- --runs N] [-- --package-dir DIR]
 *
 * Cold module load of every function as shipped, beside an SDK-only floor (SPEC 13.1, issue 8):
 * - packages the service as `npm run package` does (osls + serverless-esbuild, the zips Lambda
 *   would get) into a temporary folder, or reads the zips of an earlier run from --package-dir;
 * - builds the floor itself with serverless.yml's own esbuild settings: the DynamoDB document
 *   client and a GetItem, bundled, ESM, minified; and, for reference, the same plus middy and
 *   Powertools Logger, Metrics and Tracer (captureAWSv3Client);
 * - unzips each function into a temporary folder outside the repository (nothing can resolve from
 *   node_modules) and imports its handler file in fresh `node` processes, as Lambda's runtime does,
 *   round-robin over all bundles so drift hits them alike; the median of N runs is reported, as
 *   CPU time (what a busy shared machine disturbs least) with wall time beside.
 *
 * It prints a table (bundle, size, module load, ratio vs floor, within target: 1.5x for HTTP
 * functions, 2x for stream, trigger and job functions) and writes bench/results/coldStart.json,
 * which `npm run cost` reads. It measures and prints; it asserts nothing.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { runs: { type: "string", default: "15" }, "package-dir": { type: "string" } },
});
const runs = Number(values.runs);
const HTTP_TARGET = 1.5;
const OTHER_TARGET = 2;

type EsbuildSettings = Record<string, unknown> & { plugins?: string; external?: string[]; exclude?: string[] };
const settings = (parse(readFileSync(join(ROOT, "serverless.yml"), "utf8"), { logLevel: "silent" }) as {
  custom: { esbuild: EsbuildSettings };
}).custom.esbuild;
const plugins = settings.plugins ? (createRequire(import.meta.url)(join(ROOT, settings.plugins)) as Plugin[]) : [];

/** serverless.yml's esbuild settings, as serverless-esbuild hands them to esbuild. */
const buildOptions: BuildOptions = {
  bundle: true,
  minify: Boolean(settings.minify),
  treeShaking: true,
  keepNames: Boolean(settings.keepNames),
  platform: "node",
  format: "esm",
  target: String(settings.target),
  mainFields: settings.mainFields as string[],
  banner: settings.banner as BuildOptions["banner"],
  external: [...(settings.external ?? []), ...(settings.exclude ?? [])],
  plugins,
  logLevel: "silent",
};

const FLOOR_SOURCE = `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) =>
  (await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: event.id, SK: "PROFILE" } }))).Item;
`;
const POWERTOOLS_SOURCE = `
import middy from "@middy/core";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
const logger = new Logger();
const metrics = new Metrics({ namespace: "Bench" });
const tracer = new Tracer();
const client = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
export const handler = middy(async (event) =>
  (await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: event.id, SK: "PROFILE" } }))).Item)
  .use(injectLambdaContext(logger)).use(captureLambdaHandler(tracer)).use(logMetrics(metrics));
`;

/** What Lambda sets, plus the provider environment of serverless.yml (values made up, no AWS call is made). */
const ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: "us-east-1",
  AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
  STAGE: "bench",
  TABLE_NAME: "bench-user-service",
  EVENT_BUS_NAME: "bench-user-service",
  COGNITO_USER_POOL_ID: "us-east-1_bench",
  COGNITO_CLIENT_ID: "bench-client",
  MAILER: "ses",
  MAIL_FROM: "no-reply@example.com",
  ALLOWED_ORIGINS: "http://localhost:3000",
  POWERTOOLS_SERVICE_NAME: "user-service",
  POWERTOOLS_METRICS_NAMESPACE: "UserService",
  POWERTOOLS_LOG_LEVEL: "INFO",
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
  // Lambda runs Node 22; on an older local Node the SDK would print (and time) a support warning.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

interface Bundle {
  name: string;
  kind: "floor" | "reference" | "http" | "other";
  file: string;
  bytes: number;
  /** CPU milliseconds per run. */
  samples: number[];
  /** Wall milliseconds per run. */
  wall: number[];
}

/**
 * One cold import of the handler file in a fresh node process started in its folder: the CPU time
 * it took (user + system, all of node's threads) and the wall time. Module load is CPU-bound work
 * (parse, compile, evaluate); CPU time is what other processes on a shared machine disturb least,
 * so the ratios use it. Lambda gives the init phase its CPU share and bills the wall time.
 */
function loadOnce(bundle: Bundle): { cpuMs: number; wallMs: number } {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, wallMs: w }));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: dirname(bundle.file),
    env: { ...ENV, AWS_LAMBDA_FUNCTION_NAME: bundle.name, LAMBDA_TASK_ROOT: dirname(bundle.file) },
    encoding: "utf8",
  });
  return JSON.parse(output) as { cpuMs: number; wallMs: number };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

let packageDir = values["package-dir"];
if (!packageDir || !existsSync(packageDir)) {
  process.stdout.write("Packaging (osls package --stage ci, as npm run package)...\n");
  packageDir = (await packageService({ stage: "ci" })).outputDir;
}

const work = mkdtempSync(join(tmpdir(), "user-service-cold-"));
const bundles: Bundle[] = [];
try {
  for (const [name, source, kind] of [
    ["(floor) DynamoDB GetItem", FLOOR_SOURCE, "floor"],
    ["(ref) + middy, Powertools", POWERTOOLS_SOURCE, "reference"],
  ] as const) {
    const file = join(work, kind, "index.mjs");
    await build({ ...buildOptions, stdin: { contents: source, resolveDir: ROOT, loader: "js" }, outfile: file });
    bundles.push({ name, kind, file, bytes: statSync(file).size, samples: [], wall: [] });
  }
  for (const fn of readServerlessFunctions(ROOT)) {
    const zip = join(packageDir, `${fn.name}.zip`);
    const dir = join(work, fn.name);
    mkdirSync(dir, { recursive: true });
    execFileSync("unzip", ["-q", zip, "-d", dir]);
    // The zip's handler file: serverless-esbuild keeps the source path, with .mjs for .ts.
    const file = join(dir, fn.handler.file.slice(ROOT.length + 1).replace(/\.ts$/, ".mjs"));
    bundles.push({ name: fn.name, kind: fn.routes.length > 0 ? "http" : "other", file, bytes: statSync(file).size, samples: [], wall: [] });
  }

  for (let run = 0; run < runs; run++) {
    for (const bundle of bundles) {
      const { cpuMs, wallMs } = loadOnce(bundle);
      bundle.samples.push(cpuMs);
      bundle.wall.push(wallMs);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  if (packageDir !== values["package-dir"]) rmSync(packageDir, { recursive: true, force: true });
}

const floorBundle = bundles.find((b) => b.kind === "floor") as Bundle;
const floorMs = median(floorBundle.samples);
const rows = bundles.map((b) => {
  const loadMs = median(b.samples);
  const wallMs = median(b.wall);
  const target = b.kind === "http" ? HTTP_TARGET : b.kind === "other" ? OTHER_TARGET : undefined;
  // Paired: each run's load over the floor's load in the same round, then the median, so a busy
  // moment of the machine slows both sides of a ratio.
  const ratio = median(b.samples.map((sample, run) => sample / (floorBundle.samples[run] ?? floorMs)));
  return { name: b.name, kind: b.kind, bytes: b.bytes, loadMs, wallMs, ratio, target, withinTarget: target === undefined ? undefined : ratio <= target };
});

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);
const functions = rows.filter((r) => r.target !== undefined);
const worst = functions.reduce((a, b) => (b.ratio / (b.target ?? 1) > a.ratio / (a.target ?? 1) ? b : a));
const lines = [
  `Cold module load of the shipped bundles: median of ${runs} fresh node processes each, round-robin (node ${process.version}, ${process.platform}/${process.arch}; Lambda arm64 differs, the ratios travel better than the milliseconds)`,
  "load: CPU ms of the import (wall ms beside); vs floor: median over rounds of load / the floor's load in the same round",
  `${pad("bundle", 28)}${padLeft("size", 9)}${padLeft("load ms", 10)}${padLeft("wall ms", 10)}${padLeft("vs floor", 10)}  within target`,
  ...rows.map(
    (r) =>
      `${pad(r.name, 28)}${padLeft(`${(r.bytes / 1024).toFixed(0)} KB`, 9)}${padLeft(r.loadMs.toFixed(1), 10)}${padLeft(r.wallMs.toFixed(1), 10)}${padLeft(`${r.ratio.toFixed(2)}x`, 10)}  ${
        r.target === undefined ? "-" : `${r.withinTarget ? "yes" : "NO"} (${r.target}x, ${r.kind === "http" ? "HTTP" : "trigger/stream/job"})`
      }`,
  ),
  `Worst against its target: ${worst.name}, ${worst.ratio.toFixed(2)}x the floor (target ${worst.target}x); ${functions.filter((r) => r.withinTarget).length}/${functions.length} functions within target.`,
];
process.stdout.write(`${lines.join("\n")}\n`);

const resultsDir = join(ROOT, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, "coldStart.json"),
  `${JSON.stringify(
    {
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
      runs,
      floorMs,
      targets: { http: HTTP_TARGET, other: OTHER_TARGET },
      measure: "loadMs: median CPU ms of the import; wallMs: median wall ms; ratio: median per-round loadMs / floor's",
      references: rows.filter((r) => r.target === undefined).map(({ name, bytes, loadMs, wallMs, ratio }) => ({ name, bytes, loadMs, wallMs, ratio })),
      // scripts/cost.ts reads functions[].loadMs as the billed init time.
      functions: functions.map(({ name, kind, bytes, loadMs, wallMs, ratio, target, withinTarget }) => ({ name, kind, bytes, loadMs, wallMs, ratio, target, withinTarget })),
    },
    null,
    2,
  )}\n`,
);
