import { describe, expect, it } from "vitest";
import { statusAfter, tighterOf, windowAt } from "./rateLimit.js";

describe("fixed rate windows", () => {
  it("opens windows on multiples of their length, so every caller bumps the same counter", () => {
    expect(windowAt(7_200, 3_600, 3)).toEqual({ start: 7_200, end: 10_800, limit: 3 });
    expect(windowAt(10_799, 3_600, 3)).toEqual({ start: 7_200, end: 10_800, limit: 3 });
    expect(windowAt(10_800, 3_600, 3).start).toBe(10_800);
  });

  it("reports what is left, never below zero", () => {
    const window = windowAt(0, 3_600, 3);
    expect(statusAfter(window, 1)).toEqual({ limit: 3, remaining: 2, resetAt: 3_600 });
    expect(statusAfter(window, 5).remaining).toBe(0);
  });

  it("reports the window with fewer uses left, and on a tie the one that resets later", () => {
    const address = { limit: 3, remaining: 1, resetAt: 3_600 };
    const user = { limit: 10, remaining: 4, resetAt: 3_600 };
    expect(tighterOf(address, user)).toBe(address);
    expect(tighterOf(user, address)).toBe(address);
    const locked = { limit: 3, remaining: 1, resetAt: 86_400 };
    expect(tighterOf(address, locked)).toBe(locked);
  });
});
