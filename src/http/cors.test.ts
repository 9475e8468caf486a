import { describe, expect, it } from "vitest";
import { corsHeaders } from "./cors.js";

describe("corsHeaders", () => {
  const allowed = ["https://app.example.com"];

  it("echoes an allowed origin, with credentials and Vary", () => {
    const headers = corsHeaders("https://app.example.com", allowed);
    expect(headers["Access-Control-Allow-Origin"]).toBe("https://app.example.com");
    expect(headers["Access-Control-Allow-Credentials"]).toBe("true");
    expect(headers.Vary).toBe("Origin");
  });

  it("adds nothing for another origin or no origin", () => {
    expect(corsHeaders("https://evil.example.com", allowed)).toEqual({});
    expect(corsHeaders(undefined, allowed)).toEqual({});
    expect(corsHeaders("https://app.example.com", [])).toEqual({});
  });

  it("answers * without credentials only when * is configured, with or without an Origin", () => {
    for (const origin of ["https://any.example.com", undefined]) {
      const headers = corsHeaders(origin, ["*"]);
      expect(headers["Access-Control-Allow-Origin"]).toBe("*");
      expect(headers["Access-Control-Allow-Credentials"]).toBe("false");
      expect(headers.Vary).toBeUndefined();
    }
  });
});
