/* global module, require */
// esbuild plugins for the Lambda bundles (serverless.yml custom.esbuild.plugins, bench/coldStart.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- serverless-esbuild loads this file with require().
const fs = require("node:fs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above.
const path = require("node:path");

/**
 * zod (classic and mini) re-exports its 60-odd message locales as `z.locales`, and that namespace
 * survives tree shaking (about 300 KB of a 700 KB bundle). The service only uses English, which
 * classic zod registers by itself (src/http/schemas/zod.ts does it for mini); the namespace is
 * replaced by one holding `en` alone.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-locales" };
    });
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * SDK clients describe their operations as schema arrays in dist-es/schemas/schemas_0.js. Many carry
 * trait objects with computed keys (`{ [_e]: _c }`, the `_e` a module constant holding "error"),
 * and esbuild keeps every statement with a computed key, since a key could run code when made a
 * string: SESv2's whole schema file (every operation's shapes, 50 KB minified) stayed in a bundle
 * that sends one command. The constants are plain string literals; writing them in place
 * (`{ "error": _c }`) is the same object, and lets tree shaking drop the shapes no command reaches.
 */
const sdkSchemaKeys = {
  name: "sdk-schema-keys",
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, "utf8");
      const literals = new Map();
      for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) literals.set(name, literal);
      const contents = source.replace(/\[(_\w+)\]:/g, (key, name) => (literals.has(name) ? `${literals.get(name)}:` : key));
      return { contents, loader: "js" };
    });
  },
};

/**
 * aws-xray-sdk-core's index requires every patcher and sampler whether used or not. Powertools
 * Tracer calls captureAWSv3Client, captureHTTPsGlobal, the segment and context functions; never
 * the SDK v2 patchers (captureAWS, captureAWSClient: they pull in `semver`) nor capturePromise.
 * Those two modules become stubs that throw if ever called, rather than silently not tracing.
 * The centralized sampler (rule and target pollers, the X-Ray API client) is replaced by the
 * local sampler, which is what the SDK itself switches to at load in Lambda
 * (env/aws_lambda.js: disableCentralizedSampling).
 */
const XRAY_UNUSED = {
  "./patchers/aws_p": ["captureAWS", "captureAWSClient"],
  "./patchers/promise_p": ["capturePromise"],
};
const xrayUsedOnly = {
  name: "xray-used-only",
  setup(build) {
    const inXray = (importer) => /[\\/]aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]/.test(importer);
    build.onResolve({ filter: /^\.\/patchers\/(aws_p|promise_p)$/ }, (args) =>
      inXray(args.importer) ? { path: args.path, namespace: "xray-unused" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "xray-unused" }, (args) => ({
      contents: XRAY_UNUSED[args.path]
        .map((name) => `exports.${name} = () => { throw new Error("aws-xray-sdk-core ${name} is not bundled (scripts/esbuildPlugins.cjs)"); };`)
        .join("\n"),
      loader: "js",
    }));
    build.onResolve({ filter: /^\.\/sampling\/default_sampler$/ }, (args) =>
      inXray(args.importer) ? { path: path.join(args.resolveDir, "sampling", "local_sampler.js") } : undefined,
    );
  },
};

/**
 * @middy/core imports `node:stream/web` for one check, `body instanceof ReadableStream`, made only
 * when a handler streams its response (streamifyResponse), which none of ours does; importing it
 * loads Node's whole web streams implementation at start (about 0.03x of the SDK floor's load).
 * Middy gets a ReadableStream whose `instanceof` asks the global one, which Node loads on first
 * access: the same answer, and nothing loaded unless it is asked.
 */
const middyStreamsOnUse = {
  name: "middy-streams-on-use",
  setup(build) {
    build.onResolve({ filter: /^node:stream\/web$/ }, (args) =>
      /[\\/]@middy[\\/]core[\\/]/.test(args.importer) ? { path: "node:stream/web", namespace: "middy-streams" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "middy-streams" }, () => ({
      contents: "export const ReadableStream = class { static [Symbol.hasInstance](value) { return value instanceof globalThis.ReadableStream; } };",
      loader: "js",
    }));
  },
};

module.exports = [zodEnglishOnly, sdkSchemaKeys, xrayUsedOnly, middyStreamsOnUse];
