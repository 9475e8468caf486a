import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Credentials osls can sign nothing with: packaging must never call AWS, and with these any call
 * that slipped in would fail instead of reaching a real account.
 */
const OFFLINE_AWS_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "offline-packaging-only",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  SLS_TELEMETRY_DISABLED: "1",
  SLS_NOTIFICATIONS_MODE: "off",
};

export interface PackageResult {
  outputDir: string;
  log: string;
}

/**
 * `osls package` into a fresh folder. A failed build can leave esbuild's service process holding
 * osls open, so the run has a deadline and is killed with its process group.
 */
export function packageService(options: { stage: string; outputDir?: string; timeoutMs?: number }): Promise<PackageResult> {
  const outputDir = options.outputDir ?? mkdtempSync(join(tmpdir(), "user-service-package-"));
  const osls = join(ROOT, "node_modules", "osls", "bin", "serverless.js");
  // serverless-esbuild's work folder, one per run (serverless.yml custom.esbuild.outputWorkFolder).
  const workFolder = join(".esbuild", `package-${basename(outputDir)}`);
  const child = spawn(process.execPath, [osls, "package", "--stage", options.stage, "--package", outputDir], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_AWS_ENV, ESBUILD_WORK_FOLDER: workFolder },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  return new Promise((resolvePromise, reject) => {
    const stop = (reason: string) => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`osls package ${reason}:\n${log}`));
    };
    let failed: NodeJS.Timeout | undefined;
    const collect = (chunk: Buffer) => {
      log += chunk.toString();
      // osls has printed its error; give it a moment to finish, then stop waiting for the exit.
      if (!failed && /^Error:/m.test(log)) failed = setTimeout(() => stop("failed"), 3_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => stop("timed out"), options.timeoutMs ?? 240_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      clearTimeout(failed);
      rmSync(join(ROOT, workFolder), { recursive: true, force: true });
      if (code === 0) resolvePromise({ outputDir, log });
      else reject(new Error(`osls package exited with ${code}:\n${log}`));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stageIndex = process.argv.indexOf("--stage");
  const stage = stageIndex > 0 ? (process.argv[stageIndex + 1] ?? "ci") : "ci";
  const outputDir = join(ROOT, ".serverless");
  packageService({ stage, outputDir })
    .then(({ log }) => {
      process.stdout.write(log);
      process.stdout.write(`CloudFormation template and artifacts in ${outputDir}\n`);
    })
    .catch((error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    });
}
