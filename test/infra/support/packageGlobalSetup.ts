import type { TestProject } from "vitest/node";
import { packageService } from "../../../scripts/packageService.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder holding `osls package`'s output (template and one zip per function). */
    packageDir: string;
  }
}

/** Packages the service once for every infra test file: osls with fake credentials, no network. */
export default async function setup(project: TestProject): Promise<void> {
  const { outputDir } = await packageService({ stage: "ci" });
  project.provide("packageDir", outputDir);
}
