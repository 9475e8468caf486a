import { describe, expect, it } from "vitest";
import { callPacer } from "./callPacer.js";

describe("callPacer", () => {
  it("lines concurrent callers up one spacing apart, and a later caller after the last slot", async () => {
    let t = 0;
    const sleeps: number[] = [];
    const pace = callPacer(10, { now: () => t, sleep: async (ms) => void sleeps.push(ms) });
    await Promise.all([pace(), pace(), pace(), pace()]);
    expect(sleeps).toEqual([100, 200, 300]);
    t = 1_000;
    await pace();
    expect(sleeps).toEqual([100, 200, 300]);
  });

  it("does nothing without a rate", async () => {
    const sleeps: number[] = [];
    const pace = callPacer(undefined, { now: () => 0, sleep: async (ms) => void sleeps.push(ms) });
    await Promise.all([pace(), pace(), pace()]);
    expect(sleeps).toEqual([]);
  });
});
