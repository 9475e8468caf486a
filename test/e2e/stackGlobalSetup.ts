import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
  }
}

/**
 * The stack under test: API_URL when given (a running local stack), else one started here on free
 * ports with throwaway data, with a target that always fails so the dead-letter path can be seen.
 */
export default async function setup(project: TestProject) {
  const external = process.env.API_URL;
  if (external) {
    project.provide("apiUrl", external.replace(/\/+$/, ""));
    return;
  }
  const { startStack } = await import("../../local/stack.js");
  const dataDir = await mkdtemp(join(tmpdir(), "user-service-e2e-"));
  const stack = await startStack({ port: 0, freePorts: true, persist: false, dataDir, requestLog: () => undefined, failingTarget: true });
  project.provide("apiUrl", stack.apiUrl);
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
