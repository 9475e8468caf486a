import { mkdirSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { RECORD_DIR_ENV } from "../../src/adapters/awsCallRecorder.js";
import { RECORDING_SUITES, recordDirOf, type RecordingSuite } from "./records.js";

/**
 * Global setup of the int and e2e projects: empties the suite's record folder, so the IAM test
 * reads only this run's calls. The e2e stack runs in this (main) process, so for e2e recording is
 * switched on here, before the stack's global setup starts it; the int workers get the variable
 * from their project's `env` (vitest.config.ts).
 */
export default function setup(project: TestProject): void {
  const suite = project.name as RecordingSuite;
  if (!RECORDING_SUITES.includes(suite)) throw new Error(`recordCalls: no record folder for project ${project.name}`);
  const dir = recordDirOf(suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (suite === "e2e") process.env[RECORD_DIR_ENV] = dir;
}
