import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { apiDocsFile } from "./apiDocs.js";

const ROOT = resolve(import.meta.dirname, "../..");
const files = { webRoot: join(ROOT, "web"), openApiFile: join(ROOT, "docs", "openapi.yaml") };

describe("the API docs files", () => {
  it("serves the Swagger UI page at /docs and the raw document at /docs/openapi.yaml", async () => {
    for (const path of ["/docs", "/docs/"]) {
      const page = await apiDocsFile(path, files);
      expect(page !== "not-docs" && page?.contentType).toBe("text/html; charset=utf-8");
    }
    const document = await apiDocsFile("/docs/openapi.yaml", files);
    expect(document !== "not-docs" && document?.body.toString("utf8")).toMatch(/^# The User Service API/);
  });

  it("serves only the allow-listed files of swagger-ui-dist's own folder", async () => {
    const bundle = await apiDocsFile("/docs/swagger-ui/swagger-ui-bundle.js", files);
    expect(bundle !== "not-docs" && bundle?.contentType).toBe("text/javascript; charset=utf-8");
    const css = await apiDocsFile("/docs/swagger-ui/swagger-ui.css", files);
    expect(css !== "not-docs" && css?.contentType).toBe("text/css; charset=utf-8");
    for (const path of [
      "/docs/swagger-ui/package.json",
      "/docs/swagger-ui/index.html",
      "/docs/swagger-ui/",
      "/docs/swagger-ui/../swagger-ui-dist/package.json",
      "/docs/swagger-ui/..%2F..%2Fpackage.json",
      "/docs/swagger-ui/swagger-ui-bundle.js/",
    ]) {
      expect(await apiDocsFile(path, files), path).toBeUndefined();
    }
  });

  it("leaves other paths to the web page's files", async () => {
    expect(await apiDocsFile("/docs/docs.js", files)).toBe("not-docs");
    expect(await apiDocsFile("/", files)).toBe("not-docs");
  });
});
