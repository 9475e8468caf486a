import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packageService } from "./packageService.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");

/** What `osls package` reads: the service definition, its plugins, the sources and the lockfile. */
const INPUT_FILES = ["serverless.yml", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
const INPUT_DIRS = ["src", "scripts", "infra"];
/** serverless.yml reads these from the environment. */
const INPUT_ENV = ["ALLOWED_ORIGINS", "WEB_URL", "DEPLOYMENT_BUCKET"];

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && !/\.test\.ts$/.test(entry.name)) yield path;
  }
}

/** A digest of everything the package is built from: the same inputs give the same zips. */
export function packageInputsHash(stage: string): string {
  const hash = createHash("sha256").update(`stage=${stage}\n`);
  for (const name of INPUT_ENV) hash.update(`${name}=${process.env[name] ?? ""}\n`);
  const paths = [...INPUT_FILES.map((f) => join(ROOT, f)).filter((f) => existsSync(f)), ...INPUT_DIRS.flatMap((d) => [...files(join(ROOT, d))])];
  for (const path of paths) hash.update(`${relative(ROOT, path)}\n`).update(readFileSync(path)).update("\n");
  return hash.digest("hex").slice(0, 16);
}

/** Where packages are kept between runs: outside the repository, so nothing in the zips resolves from its node_modules. */
export const packageCacheRoot = () => process.env.USER_SERVICE_PACKAGE_CACHE ?? join(tmpdir(), "user-service-package-cache");

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * `npm run package`'s output for these sources, built once and shared: by the infra suite's
 * templates and zips, and by the local stack in artifacts mode (e2e, browser, `npm run
 * start:artifacts`). Keyed by a digest of the inputs; a build by another process for the same
 * digest is waited for rather than repeated. Keeps the three newest builds.
 */
export async function cachedPackage(options: { stage?: string; log?: (line: string) => void } = {}): Promise<{ packageDir: string; hash: string; reused: boolean }> {
  const stage = options.stage ?? "ci";
  const hash = packageInputsHash(stage);
  const root = packageCacheRoot();
  const dir = join(root, `${stage}-${hash}`);
  const done = join(dir, ".complete");
  const lock = `${dir}.lock`;
  mkdirSync(root, { recursive: true });
  for (;;) {
    if (existsSync(done)) return { packageDir: dir, hash, reused: true };
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another run is packaging these sources; a lock older than the packaging deadline is stale.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    if (existsSync(done)) return { packageDir: dir, hash, reused: true };
    options.log?.(`packaging the service (osls package --stage ${stage})…`);
    const building = `${dir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    await packageService({ stage, outputDir: building });
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
    writeFileSync(done, `${new Date().toISOString()}\n`);
    prune(root, stage, dir);
    return { packageDir: dir, hash, reused: false };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function prune(root: string, stage: string, keep: string) {
  const builds = readdirSync(root)
    .filter((name) => name.startsWith(`${stage}-`) && !name.includes("."))
    .map((name) => join(root, name))
    .filter((path) => path !== keep)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of builds.slice(2)) rmSync(old, { recursive: true, force: true });
}
