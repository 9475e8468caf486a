import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { runAsFunction } from "../../src/adapters/awsCallRecorder.js";
import type { HandlerRef } from "./serverlessFunctions.js";

export type LambdaEntry = (event: unknown, context: Context) => Promise<unknown>;

/** The function is declared in serverless.yml but its file or export is not there. */
class HandlerMissingError extends Error {
  constructor(ref: HandlerRef) {
    super(`Handler ${ref.exportName} not found in ${ref.file}`);
  }
}

const loaded = new Map<string, Promise<LambdaEntry>>();

/** Imports a handler the way Lambda does: once per process, on first invocation. */
export function loadHandler(ref: HandlerRef): Promise<LambdaEntry> {
  const key = `${ref.file}#${ref.exportName}`;
  let entry = loaded.get(key);
  if (!entry) {
    entry = (async () => {
      if (!existsSync(ref.file)) throw new HandlerMissingError(ref);
      const module = (await import(pathToFileURL(ref.file).href)) as Record<string, unknown>;
      const fn = module[ref.exportName];
      if (typeof fn !== "function") throw new HandlerMissingError(ref);
      const handler = fn as LambdaEntry;
      // Every caller passes lambdaContext(<serverless.yml function name>): AWS calls made during
      // the invocation are that function's (the IAM evidence test reads them).
      return (event, context) => runAsFunction(context.functionName, () => handler(event, context));
    })();
    entry.catch(() => loaded.delete(key));
    loaded.set(key, entry);
  }
  return entry;
}

/** A Lambda context for one invocation, with the 256 MB / timeout the functions are deployed with. */
export function lambdaContext(functionName: string, timeoutMs = 10_000, region = "us-east-1"): Context {
  const deadline = Date.now() + timeoutMs;
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${awsRequestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
