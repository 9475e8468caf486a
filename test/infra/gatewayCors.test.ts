import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
type Resolver = (input: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<string>;
const firstAllowedOrigin = createRequire(import.meta.url)(resolve(ROOT, "scripts/firstAllowedOrigin.cjs")) as Resolver;
const origins = (value: string) => firstAllowedOrigin({ resolveVariable: async () => value });

describe("CORS on API Gateway's own responses names one origin", () => {
  it("serverless.yml's gateway responses take the first allowed origin, not the whole list", () => {
    const yml = readFileSync(resolve(ROOT, "serverless.yml"), "utf8");
    const line = yml.split("\n").find((l) => l.includes("gatewayresponse.header.Access-Control-Allow-Origin"));
    expect(line).toContain("${file(./scripts/firstAllowedOrigin.cjs)}");
    expect(line).not.toContain("${self:custom.allowedOrigins}");
  });

  it("of a comma-separated list, the first origin, trimmed; a single origin as it is", async () => {
    expect(await origins("https://app.example.com, https://admin.example.com")).toBe("https://app.example.com");
    expect(await origins("http://localhost:3000")).toBe("http://localhost:3000");
  });

  it("an empty list fails the packaging instead of sending an empty header", async () => {
    await expect(origins("")).rejects.toThrow(/empty/);
  });
});
