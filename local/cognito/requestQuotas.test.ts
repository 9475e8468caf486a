import { describe, expect, it } from "vitest";
import { categoryOf, rateLimitsFromText, requestQuotas } from "./requestQuotas.js";

describe("local Cognito request quotas", () => {
  it("admits a category's rate at once, refuses the next call, and refills with time", () => {
    let t = 0;
    const quotas = requestQuotas({ UserUpdate: 3 }, () => t);
    const burst = ["AdminDisableUser", "AdminUserGlobalSignOut", "AdminEnableUser", "AdminDisableUser"].map((op) => quotas.admit(op));
    expect(burst).toEqual([true, true, true, false]);
    t = 340; // a third of a second: one token back at 3 per second
    expect(quotas.admit("AdminDisableUser")).toBe(true);
    expect(quotas.admit("AdminDisableUser")).toBe(false);
    expect(quotas.calls()).toEqual({ AdminDisableUser: 4, AdminUserGlobalSignOut: 1, AdminEnableUser: 1 });
    expect(quotas.throttled()).toEqual({ AdminDisableUser: 2 });
  });

  it("throttles only the categories given: other categories and unmapped operations pass", () => {
    let t = 0;
    const quotas = requestQuotas({ UserRead: 1 }, () => t);
    expect([quotas.admit("AdminGetUser"), quotas.admit("AdminGetUser")]).toEqual([true, false]);
    expect(Array.from({ length: 50 }, () => quotas.admit("AdminDisableUser")).every(Boolean)).toBe(true);
    expect(quotas.admit("DescribeUserPool")).toBe(true);
    t = 1000;
    expect(quotas.admit("AdminGetUser")).toBe(true);
  });

  it("is off with no limits, and limits can change while running", () => {
    const quotas = requestQuotas();
    expect(Array.from({ length: 500 }, () => quotas.admit("AdminGetUser")).every(Boolean)).toBe(true);
    quotas.setLimits({ UserRead: 1 });
    expect([quotas.admit("AdminGetUser"), quotas.admit("AdminGetUser")]).toEqual([true, false]);
    quotas.resetCounts();
    expect(quotas.calls()).toEqual({});
  });

  it("reads limits from COGNITO_LOCAL_RATE_LIMITS and refuses a bad entry", () => {
    expect(rateLimitsFromText("UserUpdate=25, UserRead=120")).toEqual({ UserUpdate: 25, UserRead: 120 });
    expect(rateLimitsFromText(undefined)).toEqual({});
    expect(() => rateLimitsFromText("UserUpdates=25")).toThrow(/bad entry/);
    expect(() => rateLimitsFromText("UserUpdate=0")).toThrow(/bad entry/);
    expect(categoryOf("AdminGetUser")).toBe("UserRead");
    expect(categoryOf("ListUsers")).toBe("UserList");
  });
});
