import { describe, expect, it } from "vitest";
import { sendLimitKey } from "./email.js";
import { lockAfterKills } from "./verificationCode.js";

describe("an address's send-limit key", () => {
  it.each([
    ["ann@example.com", "ann@example.com"],
    ["Ann+1@Example.com", "ann@example.com"],
    [" ann+a+b@example.com ", "ann@example.com"],
    ["+tag@example.com", "+tag@example.com"],
    ["a.n.n+x@example.com", "a.n.n@example.com"],
  ])("folds case and a +tag of the local part only: %s -> %s", (address, key) => {
    expect(sendLimitKey(address)).toBe(key);
  });
});

describe("the lock after killed codes", () => {
  const day = 24 * 3600;
  it("locks for 24 hours from the kill that makes 3 within 24 hours", () => {
    expect(lockAfterKills([0, 100], 100)).toBeUndefined();
    expect(lockAfterKills([0, 100, 200], 200)).toBe(200 + day);
  });

  it("counts a sliding day: kills older than 24 hours do not count", () => {
    expect(lockAfterKills([0, day - 10, day + 5], day + 5)).toBeUndefined();
    expect(lockAfterKills([0, 10, day + 15, day + 16], day + 16)).toBeUndefined();
    expect(lockAfterKills([0, 10, day + 15, day + 16, day + 17], day + 17)).toBe(day + 17 + day);
  });
});
