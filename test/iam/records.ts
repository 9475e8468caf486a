import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AwsCallRecord } from "../../src/adapters/awsCallRecorder.js";

/**
 * Where the suites write the AWS calls they saw (git-ignored): one folder per suite, one file per
 * process. AWS_CALL_RECORDS_ROOT moves it (a run that must not mix with another checkout's runs).
 */
export const RECORDS_ROOT = resolve(process.env.AWS_CALL_RECORDS_ROOT ?? resolve(import.meta.dirname, "../../test-results/aws-calls"));

/** The suites whose calls are the evidence; each must have recorded something. */
export const RECORDING_SUITES = ["int", "e2e"] as const;
export type RecordingSuite = (typeof RECORDING_SUITES)[number];

export const recordDirOf = (suite: RecordingSuite): string => join(RECORDS_ROOT, suite);

export interface SuiteRecords {
  suite: RecordingSuite;
  files: number;
  records: AwsCallRecord[];
}

/** Every record a suite's last run wrote, deduplicated. */
export function readSuiteRecords(suite: RecordingSuite): SuiteRecords {
  const dir = recordDirOf(suite);
  if (!existsSync(dir)) return { suite, files: 0, records: [] };
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  const lines = new Set(files.flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean)));
  return { suite, files: files.length, records: [...lines].map((line) => JSON.parse(line) as AwsCallRecord) };
}
