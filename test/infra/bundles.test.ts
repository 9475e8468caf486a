import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { zipEntries } from "../../local/lambda/zipEntries.js";

/**
 * What each packaged function ships (SPEC 13.1, issue 8): the SDK clients it calls, bundled, and no
 * adapter, client or schema library it does not call. Read from the zips `osls package` builds:
 * the bundle's source map lists every input file that put code into the bundle (esbuild drops the
 * files tree shaking removed), so it is the shipped artifact's own inventory. Timings are the
 * benchmark's business (npm run bench:cold); this only asserts composition.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const functions = readServerlessFunctions(ROOT);

/** The heavy parts a function may carry, each named by a path fragment of its input files. */
const PARTS = {
  dynamodb: "node_modules/@aws-sdk/client-dynamodb/",
  cognito: "node_modules/@aws-sdk/client-cognito-identity-provider/",
  ses: "node_modules/@aws-sdk/client-sesv2/",
  sqs: "node_modules/@aws-sdk/client-sqs/",
  eventbridge: "node_modules/@aws-sdk/client-eventbridge/",
  ssm: "node_modules/@aws-sdk/client-ssm/",
  idempotency: "node_modules/@aws-lambda-powertools/idempotency/",
  batch: "node_modules/@aws-lambda-powertools/batch/",
  /** zod/mini's checks, for functions that parse input. */
  zod: "node_modules/zod/v4/core/",
  /** Classic zod builds its whole API when loaded (~200 KB, ~0.4x the SDK floor's load): never shipped. */
  zodClassic: "node_modules/zod/v4/classic/",
  /** Any locale but English (the esbuild plugin in scripts/esbuildPlugins.cjs keeps English alone). */
  zodLocales: "node_modules/zod/v4/locales/(?!en\\.js)",
  /** The whole graph (createServices): a value import of it brings every factory along. */
  wholeGraph: "src/composition/services.ts",
} as const;
type Part = keyof typeof PARTS;

/**
 * Exactly the parts each function ships, from what it composes (its `uses` / composeFrom): the
 * table stores profiles and emails, the mailer SES, the user directory Cognito, the relay
 * EventBridge and the dead-letter queue SQS. The keyed hasher reads the code secret through the
 * Parameters and Secrets Lambda Extension over HTTP, so no function ships the SSM client.
 */
const EXPECTED: Record<string, Part[]> = {
  getMe: ["dynamodb"],
  updateMe: ["dynamodb", "zod"],
  deleteMe: ["dynamodb", "ses"],
  exportMe: ["dynamodb"],
  getMyActivity: ["dynamodb", "zod"],
  listEmails: ["dynamodb"],
  addEmail: ["dynamodb", "ses", "idempotency", "zod"],
  removeEmail: ["dynamodb", "ses"],
  sendVerification: ["dynamodb", "ses", "idempotency", "zod"],
  confirmVerification: ["dynamodb", "idempotency", "zod"],
  setPrimaryEmail: ["dynamodb", "ses"],
  adminGetUser: ["dynamodb", "zod"],
  adminGetUserActivity: ["dynamodb", "zod"],
  adminFindUsers: ["dynamodb", "zod"],
  adminSuspendUser: ["dynamodb", "ses", "idempotency", "zod"],
  adminReactivateUser: ["dynamodb", "ses", "idempotency", "zod"],
  restoreAccount: ["dynamodb", "ses"],
  revertPrimaryEmail: ["dynamodb", "ses"],
  preSignUp: ["dynamodb"],
  postConfirmation: ["dynamodb", "sqs"],
  signUpRetryProcessor: ["dynamodb", "cognito", "batch", "zod"],
  reconcileUsers: ["dynamodb", "cognito"],
  outboxRelay: ["eventbridge", "sqs"],
  cognitoSync: ["dynamodb", "cognito", "zod"],
  cognitoSelfService: ["dynamodb", "cognito", "ses", "zod"],
  adminPurgeUser: ["dynamodb", "idempotency", "zod"],
  purgeAccounts: ["dynamodb"],
};

interface Shipped {
  /** The bundle's input files (source map `sources`), relative to the repository. */
  inputs: string[];
  code: string;
}

const shipped = new Map<string, Shipped>();
beforeAll(() => {
  for (const fn of functions) {
    const files = zipEntries(readFileSync(join(inject("packageDir"), `${fn.name}.zip`)));
    const handlerFile = fn.handler.file.slice(ROOT.length + 1).replace(/\.ts$/, ".mjs");
    const bundle = files.find((f) => f.name === handlerFile);
    const map = files.find((f) => f.name === `${handlerFile}.map`);
    if (!bundle || !map) throw new Error(`${fn.name}: ${handlerFile} or its source map is missing from the zip`);
    const { sources } = JSON.parse(map.data().toString("utf8")) as { sources: string[] };
    // Sources are relative to the map's folder inside the build tree, which mirrors the repository.
    const inputs = sources.map((source) => source.replace(/^(\.\.\/)+/, "").replace(/^.*?\/node_modules\//, "node_modules/"));
    shipped.set(fn.name, { inputs, code: bundle.data().toString("utf8") });
  }
});

const partsIn = (inputs: string[]): Part[] =>
  (Object.keys(PARTS) as Part[]).filter((part) => inputs.some((input) => new RegExp(PARTS[part]).test(input)));

describe("the esbuild settings", () => {
  it("leave nothing external: serverless-esbuild's default `exclude` (aws-sdk) is replaced by an empty list", () => {
    const { custom } = parse(readFileSync(join(ROOT, "serverless.yml"), "utf8"), { logLevel: "silent" }) as {
      custom: { esbuild: Record<string, unknown> };
    };
    expect(custom.esbuild.external).toEqual([]);
    expect(custom.esbuild.exclude).toEqual([]);
    expect(custom.esbuild).toMatchObject({ bundle: true, minify: true, format: "esm", platform: "node", target: "node20" });
  });
});

describe("each function's bundle", () => {
  it("names the expected parts of every function of serverless.yml (a new function needs its entry)", () => {
    expect(functions.map((f) => f.name).filter((name) => !EXPECTED[name])).toEqual([]);
  });

  it.each(functions.map((f) => [f.name]))("%s ships exactly the SDK clients and libraries it calls", (name) => {
    const { inputs } = shipped.get(name) as Shipped;
    expect(inputs.length, name).toBeGreaterThan(10);
    expect(partsIn(inputs), name).toEqual((Object.keys(PARTS) as Part[]).filter((part) => EXPECTED[name]?.includes(part)));
  });

  it.each(functions.map((f) => [f.name]))("%s bundles its own handler and the SDK core, leaving nothing to the runtime", (name) => {
    const { inputs, code } = shipped.get(name) as Shipped;
    expect(inputs, name).toContain(functions.find((f) => f.name === name)?.handler.file.slice(ROOT.length + 1));
    expect(inputs.some((input) => input.startsWith("node_modules/@smithy/core/")), name).toBe(true);
    // Only Node's own modules may stay outside the bundle: no import or require of a package. (The
    // SDK's error messages quote `[require("@aws-sdk/signature-v4-crt");]`: a bracket is no call.)
    const specifiers = [
      ...code.matchAll(/(?:(?<=[}\s])from\s*|(?<![[\w.$])import\s*\(?\s*|(?<![[\w.$])require\s*\(\s*)["']([@\w][\w@./:-]*)["']/g),
    ].map((m) => m[1] ?? "");
    const builtins = new Set(builtinModules);
    const outside = specifiers.filter((s) => !s.startsWith("node:") && !builtins.has(s));
    expect(outside, name).toEqual([]);
  });
});
