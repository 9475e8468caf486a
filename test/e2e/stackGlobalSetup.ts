import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { detectTarget, type Target } from "./target.js";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    target: Target;
  }
}

/**
 * The stack under test: API_URL when given (a running local stack, or a deployed stage), else one
 * started here on free ports with throwaway data, with a target that always fails so the
 * dead-letter path can be seen, and the fault switch on so the sign-up fallback through the retry
 * queue can be run. The handlers are the packaged zips' (the package is built once per set of
 * sources and shared with the infra suite: scripts/packageCache.ts). Detection runs here, in the main process, where AWS_REGION is still
 * the caller's (the project's `env` sets its own for the workers).
 */
export default async function setup(project: TestProject) {
  const external = process.env.API_URL;
  if (external) {
    const apiUrl = external.replace(/\/+$/, "");
    project.provide("apiUrl", apiUrl);
    project.provide("target", await detectTarget(apiUrl));
    return;
  }
  const { startStack } = await import("../../local/stack.js");
  const dataDir = await mkdtemp(join(tmpdir(), "user-service-e2e-"));
  const stack = await startStack({
    port: 0,
    freePorts: true,
    persist: false,
    dataDir,
    requestLog: () => undefined,
    failingTarget: true,
    faults: true,
    // The shipped artifact: the handlers inside the packaged zips (STACK_FROM_SOURCES=1: the sources, for quick edits).
    artifacts: process.env.STACK_FROM_SOURCES !== "1",
    ...(process.env.E2E_PROGRESS ? { progress: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  });
  project.provide("apiUrl", stack.apiUrl);
  project.provide("target", { kind: "local" });
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
