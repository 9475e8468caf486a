import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { httpRoutesOf, readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DOCUMENT = join(ROOT, "docs", "openapi.yaml");

interface Operation {
  operationId: string;
  /** Set only to override the document's: `[]` on the public routes. */
  security?: unknown[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
}
const openapi = parse(readFileSync(DOCUMENT, "utf8")) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  security: unknown[];
  components: { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> };
};
const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

describe("docs/openapi.yaml", () => {
  it("passes redocly lint", async () => {
    const { stdout, stderr } = await promisify(execFile)(join(ROOT, "node_modules", ".bin", "redocly"), ["lint", DOCUMENT], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    expect(`${stdout}${stderr}`).toContain("Your API description is valid");
  }, 60_000);

  it("is OpenAPI 3.1 and documents exactly the routes of serverless.yml, with their function names as operation ids", () => {
    expect(openapi.openapi).toMatch(/^3\.1\./);
    const documented = operations.map((o) => `${o.method} ${o.path} ${o.operation.operationId}`).sort();
    const served = httpRoutesOf(readServerlessFunctions(ROOT)).map((r) => `${r.method} ${r.resource} ${r.functionName}`).sort();
    expect(documented).toEqual(served);
  });

  it("gives every operation the error body for 401 and 500, and every error response the Error schema", () => {
    for (const { path, method, operation } of operations) {
      // The public link routes (security: []) have no token to refuse; every other route answers 401.
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      if (isPublic) expect(["/account/restore", "/account/revert"]).toContain(path);
      else expect(operation.responses["401"], `${method} ${path}`).toEqual({ $ref: "#/components/responses/Unauthorized" });
      expect(operation.responses["500"], `${method} ${path}`).toBeDefined();
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) expect(response.$ref, `${method} ${path} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
    for (const [name, response] of Object.entries(openapi.components.responses)) {
      expect(response.content["application/json"]?.schema, name).toEqual({ $ref: "#/components/schemas/Error" });
    }
    expect(openapi.security).toEqual([{ cognito: ["aws.cognito.signin.user.admin"] }]);
  });
});
