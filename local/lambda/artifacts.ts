import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { cachedPackage, packageCacheRoot } from "../../scripts/packageCache.js";
import type { HandlerRef, ServerlessFunction } from "./serverlessFunctions.js";
import { unzip } from "./unzip.js";

export interface Artifacts {
  /** serverless.yml's functions, each handler pointing at the handler file inside its unzipped zip. */
  functions: ServerlessFunction[];
  /** Literal environment variables the packaged template gives the functions (not the Refs, which are the stack's). */
  environment: Record<string, string>;
  packageDir: string;
  /** Removes the unzipped functions. */
  remove(): void;
}

/** Handler files as serverless-esbuild writes them: the source path with the output extension. */
const EXTENSIONS = [".mjs", ".js", ".cjs"];

interface TemplateFunction {
  Type: string;
  Properties?: { FunctionName?: unknown; Handler?: string; Environment?: { Variables?: Record<string, unknown> } };
}

/**
 * Variables the local stack sets itself (endpoints, names from Terraform's SSM parameters, the
 * stage, origins, the web page's URL in links) or replaces: the code secret is a file locally, where AWS has an SSM parameter.
 */
const LOCAL_ONLY = new Set(["STAGE", "ALLOWED_ORIGINS", "WEB_URL", "CODE_SECRET_PARAMETER"]);

/**
 * The shipped artifact, ready to run: `npm run package`'s zips (cachedPackage: built once per set of
 * sources) unzipped, one folder per function, outside the repository. The node_modules they sit
 * in holds only `@aws-sdk` besides them, standing for what the nodejs22.x runtime provides:
 * anything else a bundle failed to include does not resolve, as in Lambda.
 */
export async function prepareArtifacts(functions: ServerlessFunction[], log: (line: string) => void = () => undefined): Promise<Artifacts> {
  const { packageDir, reused } = await cachedPackage({ stage: "ci", log });
  log(`${reused ? "reusing" : "built"} the package in ${packageDir}`);
  const root = mkdtempSync(join(packageCacheRoot(), "run-"));
  try {
    const runtimeModules = join(root, "node_modules");
    mkdirSync(runtimeModules);
    const sdk = dirname(dirname(createRequire(import.meta.url).resolve("@aws-sdk/client-dynamodb/package.json")));
    symlinkSync(sdk, join(runtimeModules, "@aws-sdk"), "dir");

    const template = JSON.parse(readFileSync(join(packageDir, "cloudformation-template-update-stack.json"), "utf8")) as { Resources: Record<string, TemplateFunction> };
    const environment: Record<string, string> = {};
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      for (const [name, value] of Object.entries(resource.Properties?.Environment?.Variables ?? {})) {
        if (typeof value === "string" && !LOCAL_ONLY.has(name)) environment[name] = value;
      }
    }

    const unzipped = new Map<string, HandlerRef>();
    const artifactOf = (fn: ServerlessFunction): HandlerRef => {
      const known = unzipped.get(fn.name);
      if (known) return known;
      const zip = join(packageDir, `${fn.name}.zip`);
      if (!existsSync(zip)) throw new Error(`The package has no ${fn.name}.zip`);
      // Under a node_modules folder: test runners (vitest) load what lies there with Node's own
      // import, untransformed, as Lambda does; resolution still finds only the zip's own modules
      // and the runtime's @aws-sdk.
      const dir = join(runtimeModules, "task", fn.name);
      const entries = unzip(zip, dir);
      const base = fn.handler.relativePath.replace(/\.ts$/, "");
      const file = EXTENSIONS.map((ext) => `${base}${ext}`).find((candidate) => entries.includes(candidate));
      if (!file) throw new Error(`${fn.name}.zip holds no handler file ${base}{${EXTENSIONS.join(",")}}: ${entries.join(", ")}`);
      const ref = { ...fn.handler, file: join(dir, file) };
      unzipped.set(fn.name, ref);
      return ref;
    };
    const mapped = functions.map((fn) => {
      const handler = artifactOf(fn);
      return { ...fn, handler, routes: fn.routes.map((route) => ({ ...route, handler })) };
    });
    return { functions: mapped, environment, packageDir, remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
