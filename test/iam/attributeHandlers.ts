import { resolve } from "node:path";
import { vi } from "vitest";
import { readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { runAsFunction } from "../../src/adapters/awsCallRecorder.js";

/**
 * Setup file of the int project: every handler module of serverless.yml, when a test imports it,
 * has its handler export wrapped so the AWS calls it makes are recorded as that function's (the
 * IAM evidence test, test/iam/). Tests call handlers directly with whatever context they like; the
 * function is known from the module, not from the context. Nothing else about the handler changes.
 */
const ROOT = resolve(import.meta.dirname, "../..");

for (const fn of readServerlessFunctions(ROOT)) {
  vi.doMock(fn.handler.file, async (importOriginal) => {
    const module = await importOriginal<Record<string, unknown>>();
    const handler = module[fn.handler.exportName];
    if (typeof handler !== "function") return module;
    const entry = handler as (...args: unknown[]) => unknown;
    return { ...module, [fn.handler.exportName]: (...args: unknown[]) => runAsFunction(fn.name, () => entry(...args)) };
  });
}
