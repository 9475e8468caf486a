import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin, type PluginBuild } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

/**
 * scripts/esbuildPlugins.cjs, which serverless.yml's bundles (and bench/coldStart.ts's floor) use:
 * each plugin drops code a Lambda function never runs, and must leave what it runs unchanged.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const plugins = createRequire(import.meta.url)(join(ROOT, "scripts/esbuildPlugins.cjs")) as Plugin[];
const work = mkdtempSync(join(tmpdir(), "esbuild-plugins-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Bundles `source` as serverless.yml does (ESM, node, minified), with or without the plugins. */
async function bundle(source: string, withPlugins = true): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    mainFields: ["module", "main"],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: withPlugins ? plugins : [],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

/** Runs `script` after importing the bundle in a fresh node process; `before` holds the modules Node had loaded until then. */
function runWith(code: string, script: string): string {
  const file = join(work, `${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  return execFileSync(process.execPath, ["--input-type=module", "-e", `const before = new Set(process.moduleLoadList);\nconst bundle = await import(${JSON.stringify(pathToFileURL(file).href)});\n${script}`], {
    encoding: "utf8",
  });
}

describe("the esbuild plugins", () => {
  it("SDK schemas: a bundle sending SESv2's SendEmail keeps its shapes and drops every other operation's", async () => {
    const source = `import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2"; export const send = (input) => new SESv2Client({}).send(new SendEmailCommand(input));`;
    const [trimmed, whole] = await Promise.all([bundle(source), bundle(source, false)]);
    expect(trimmed).toContain('"SendEmailRequest"');
    expect(trimmed).not.toContain("ListContactsFilter");
    expect(whole).toContain("ListContactsFilter");
    expect(trimmed.length).toBeLessThan(whole.length - 40_000);
  });

  it("X-Ray: the patchers Powertools Tracer calls are bundled, the SDK v2 and promise patchers throw if ever called", async () => {
    const code = await bundle(`import xray from "aws-xray-sdk-core"; export default xray;`);
    expect(code).not.toContain("SEMVER_SPEC_VERSION");
    const answers = runWith(
      code,
      `const x = bundle.default;
       const tryIt = (fn) => { try { fn(); return "ran"; } catch (error) { return error.message; } };
       console.log(JSON.stringify({
         v3: typeof x.captureAWSv3Client, https: typeof x.captureHTTPsGlobal, segment: typeof x.getSegment,
         sampler: typeof x.middleware.sampler.shouldSample,
         v2: tryIt(() => x.captureAWS({})), promise: tryIt(() => x.capturePromise()),
       }));`,
    );
    expect(JSON.parse(answers)).toEqual({
      v3: "function",
      https: "function",
      segment: "function",
      sampler: "function",
      v2: "aws-xray-sdk-core captureAWS is not bundled (scripts/esbuildPlugins.cjs)",
      promise: "aws-xray-sdk-core capturePromise is not bundled (scripts/esbuildPlugins.cjs)",
    });
  });

  it("middy: importing it loads no web streams, and its ReadableStream answers instanceof as Node's own", async () => {
    const code = await bundle(`export { default as middy } from "@middy/core";`);
    const loaded = runWith(code, `console.log(process.moduleLoadList.filter((m) => !before.has(m) && m.includes("webstreams")).length);`);
    expect(loaded.trim()).toBe("0");

    // The module middy gets for node:stream/web, as the plugin serves it.
    const shim = plugins.find((p) => p.name === "middy-streams-on-use");
    let onLoad: (() => { contents: string }) | undefined;
    void shim?.setup({ onResolve: () => undefined, onLoad: (_options: unknown, callback: () => { contents: string }) => (onLoad = callback) } as unknown as PluginBuild);
    const answers = runWith(
      onLoad?.().contents ?? "",
      `const { ReadableStream } = bundle;
       console.log(JSON.stringify([new globalThis.ReadableStream() instanceof ReadableStream, {} instanceof ReadableStream, null instanceof ReadableStream]));`,
    );
    expect(JSON.parse(answers)).toEqual([true, false, false]);
  });
});
