import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { accessLogFields, accessLogFormat, accessLogLine } from "./accessLog.js";

const format = accessLogFormat(resolve(import.meta.dirname, "../.."));

describe("the local gateway's access log line is the template's format", () => {
  it("serverless.yml's format is JSON naming the request id (API Gateway requires requestId or extendedRequestId)", () => {
    expect(Object.values(accessLogFields(format))).toContain("requestId");
  });

  it("every $context variable is replaced: known values as strings, unknown or empty ones as '-'", () => {
    const line = JSON.parse(accessLogLine(format, { requestId: "r-1", httpMethod: "POST", status: 201, "authorizer.claims.sub": "" })) as Record<string, string>;
    const fields = accessLogFields(format);

    expect(Object.keys(line).sort()).toEqual(Object.keys(fields).sort());
    for (const [field, variable] of Object.entries(fields)) {
      const expected = { requestId: "r-1", httpMethod: "POST", status: "201" }[variable] ?? "-";
      expect(line[field], field).toBe(expected);
    }
    expect(JSON.stringify(line)).not.toContain("$context");
  });

  it("a value that needs JSON escaping keeps the line valid JSON", () => {
    const text = accessLogLine('{"error":"$context.integrationErrorMessage","id":"$context.requestId"}', {
      integrationErrorMessage: 'Error: "quoted"\nnext line \\ done',
      requestId: "r-2",
    });
    expect(JSON.parse(text)).toEqual({ error: 'Error: "quoted"\nnext line \\ done', id: "r-2" });
  });
});
