import { describe, expect, it } from "vitest";
import { passwordPolicyViolation } from "./passwordPolicy.js";
import { POOL_SETTINGS } from "./poolSettings.js";

const policy = POOL_SETTINGS.Policies.PasswordPolicy;

describe("passwordPolicyViolation with the pool's policy", () => {
  it("accepts a password with 12 characters of every class", () => {
    expect(passwordPolicyViolation("Correct-Horse1", policy)).toBeNull();
  });

  it.each([
    ["Short-Pass1", "Password not long enough"],
    ["ALLUPPER-CASE1", "Password must have lowercase characters"],
    ["alllower-case1", "Password must have uppercase characters"],
    ["No-Digits-Here", "Password must have numeric characters"],
    ["NoSymbolsHere1", "Password must have symbol characters"],
  ])("rejects %s: %s", (password, reason) => {
    expect(passwordPolicyViolation(password, policy)).toBe(`Password did not conform with policy: ${reason}`);
  });
});
