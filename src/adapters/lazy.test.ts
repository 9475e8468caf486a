import { describe, expect, it, vi } from "vitest";
import { lazy } from "./lazy.js";

describe("lazy", () => {
  it("loads once, on first use, and shares the result with concurrent callers", async () => {
    const load = vi.fn(async () => ({ client: 1 }));
    const get = lazy(load);
    expect(load).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("forgets a failed load so the next call tries again", async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error("not yet")).mockResolvedValueOnce("ready");
    const get = lazy(load);
    await expect(get()).rejects.toThrow("not yet");
    expect(await get()).toBe("ready");
    expect(load).toHaveBeenCalledTimes(2);
  });
});
