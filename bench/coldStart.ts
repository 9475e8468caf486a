import { build, type BuildOptions, type Plugin } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { readServerlessFunctions } from "../local/serverlessFunctions.js";

/**
 * npm run bench:cold [-- --runs N]
 * Builds every function with serverless.yml's esbuild settings, then imports each bundle in fresh
 * `node` processes (as a Lambda cold start does) and prints bundle size and median module-load time
 * beside a hello-world baseline. The SDK stays outside the bundles, as in Lambda, and is loaded from
 * node_modules. Results go to bench/results/coldStart.json, which `npm run cost` reads.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, ".esbuild", "bench");
const LIMIT_BYTES = 500 * 1024;
const { values } = parseArgs({ options: { runs: { type: "string", default: "7" } } });
const runs = Number(values.runs);

type EsbuildSettings = Record<string, unknown> & { exclude?: string[]; plugins?: string; outputFileExtension?: string };
const settings = (parse(readFileSync(join(ROOT, "serverless.yml"), "utf8"), { logLevel: "silent" }) as {
  custom: { esbuild: EsbuildSettings };
}).custom.esbuild;
const plugins = settings.plugins ? (createRequire(import.meta.url)(join(ROOT, settings.plugins)) as Plugin[]) : [];

const buildOptions: BuildOptions = {
  bundle: true,
  minify: Boolean(settings.minify),
  treeShaking: true,
  keepNames: Boolean(settings.keepNames),
  platform: "node",
  format: "esm",
  target: String(settings.target ?? "node22"),
  mainFields: (settings.mainFields as string[] | undefined) ?? ["module", "main"],
  banner: settings.banner as BuildOptions["banner"],
  external: settings.exclude ?? [],
  plugins,
  logLevel: "silent",
};

const ENV = {
  ...process.env,
  STAGE: "bench",
  AWS_REGION: "us-east-1",
  TABLE_NAME: "bench-user-service",
  EVENT_BUS_NAME: "bench-user-service",
  COGNITO_USER_POOL_ID: "us-east-1_bench",
  POWERTOOLS_METRICS_DISABLED: "true",
  POWERTOOLS_TRACE_ENABLED: "false",
  POWERTOOLS_LOG_LEVEL: "SILENT",
};

/** Milliseconds to import the module, measured inside a fresh node process. */
function loadTimeMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: ENV, encoding: "utf8" }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const medianLoad = (file: string) => median(Array.from({ length: runs }, () => loadTimeMs(file)));

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const baselineFile = join(OUT, "helloWorld.mjs");
writeFileSync(baselineFile, "export const handler = async () => ({ statusCode: 200, body: 'hello' });\n");
const baseline = medianLoad(baselineFile);

const rows: { name: string; bytes: number; loadMs: number }[] = [];
for (const fn of readServerlessFunctions(ROOT)) {
  const outfile = join(OUT, fn.name, "index.mjs");
  await build({ ...buildOptions, entryPoints: [fn.handler.file], outfile });
  rows.push({ name: fn.name, bytes: statSync(outfile).size, loadMs: medianLoad(outfile) });
}

const pad = (text: string, width: number) => text.padEnd(width);
const lines = [
  `Cold module load, median of ${runs} fresh node processes (node ${process.version}, this machine; Lambda arm64 differs)`,
  `${pad("function", 22)}${pad("bundle", 11)}${pad("load ms", 10)}vs baseline`,
  `${pad("(hello world)", 22)}${pad("0.1 KB", 11)}${pad(baseline.toFixed(1), 10)}-`,
  ...rows.map(
    (r) =>
      `${pad(r.name, 22)}${pad(`${(r.bytes / 1024).toFixed(0)} KB`, 11)}${pad(r.loadMs.toFixed(1), 10)}+${(r.loadMs - baseline).toFixed(1)} ms${r.bytes > LIMIT_BYTES ? "  OVER 500 KB" : ""}`,
  ),
];
process.stdout.write(`${lines.join("\n")}\n`);

const resultsDir = join(ROOT, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, "coldStart.json"),
  `${JSON.stringify({ node: process.version, runs, baselineMs: baseline, functions: rows }, null, 2)}\n`,
);
if (rows.some((r) => r.bytes > LIMIT_BYTES)) process.exit(1);
