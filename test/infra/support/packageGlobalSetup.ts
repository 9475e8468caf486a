import type { TestProject } from "vitest/node";
import { cachedPackage } from "../../../scripts/packageCache.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder holding `osls package`'s output (template and one zip per function). */
    packageDir: string;
  }
}

/**
 * Packages the service once for every infra test file: osls with fake credentials, no network.
 * The output is shared (scripts/packageCache.ts): the e2e and browser stacks run these same zips.
 */
export default async function setup(project: TestProject): Promise<void> {
  const { packageDir } = await cachedPackage({ stage: "ci" });
  project.provide("packageDir", packageDir);
}
