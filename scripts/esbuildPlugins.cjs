/* global module, require */
// esbuild plugins for the Lambda bundles (serverless.yml custom.esbuild.plugins, bench/coldStart.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- serverless-esbuild loads this file with require().
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

module.exports = [zodEnglishOnly];
