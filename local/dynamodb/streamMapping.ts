import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { RetryPolicy } from "./batchDelivery.js";

/** A function's `stream` event in serverless.yml: what the local poller copies from the event source mapping. */
export interface StreamMapping extends RetryPolicy {
  batchSize?: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
}

type Doc = Record<string, unknown>;

/**
 * Reads the mapping from serverless.yml, so the local stack retries as the deployed relay does
 * (same maximum retries and record age). CloudFormation tags (`!Ref`) are left unresolved: only
 * the numbers and switches are read.
 */
export function readStreamMapping(root: string, functionName: string, file = "serverless.yml"): StreamMapping {
  const doc = parse(readFileSync(join(root, file), "utf8"), { logLevel: "silent" }) as Doc;
  const fn = ((doc.functions ?? {}) as Record<string, { events?: Doc[] }>)[functionName];
  const stream = fn?.events?.map((event) => event.stream).find((s): s is Doc => typeof s === "object" && s !== null);
  if (!stream) throw new Error(`serverless.yml has no stream event on ${functionName}`);
  const number = (name: string) => (typeof stream[name] === "number" ? (stream[name] as number) : undefined);
  const mapping: StreamMapping = {
    bisectBatchOnFunctionError: stream.bisectBatchOnFunctionError === true,
    reportBatchItemFailures: stream.functionResponseType === "ReportBatchItemFailures",
  };
  const batchSize = number("batchSize");
  const maxRetryAttempts = number("maximumRetryAttempts");
  const maxRecordAgeSeconds = number("maximumRecordAgeInSeconds");
  if (batchSize !== undefined) mapping.batchSize = batchSize;
  if (maxRetryAttempts !== undefined) mapping.maxRetryAttempts = maxRetryAttempts;
  if (maxRecordAgeSeconds !== undefined) mapping.maxRecordAgeSeconds = maxRecordAgeSeconds;
  return mapping;
}
