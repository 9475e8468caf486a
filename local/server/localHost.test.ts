import { describe, expect, it } from "vitest";
import { isLocalHost } from "./localHost.js";

describe("isLocalHost", () => {
  it.each(["localhost", "localhost:3000", "LocalHost:3000", "127.0.0.1", "127.0.0.1:3000", "[::1]", "[::1]:3000"])("answers %s", (host) => {
    expect(isLocalHost(host, 3000)).toBe(true);
  });

  it.each([
    undefined,
    "",
    "evil.example",
    "evil.example:3000",
    "localhost.evil.example",
    "localhost:3001",
    "127.0.0.1:80",
    "127.0.0.2:3000",
    "0.0.0.0:3000",
    "[::1]:",
    "localhost:3000 ",
    "[0:0:0:0:0:0:0:1]:3000",
    "user@localhost:3000",
  ])("refuses %s", (host) => {
    expect(isLocalHost(host, 3000)).toBe(false);
  });
});
