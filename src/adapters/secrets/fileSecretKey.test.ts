import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileSecretKey } from "./fileSecretKey.js";
import { createHmacHasher } from "./hmacHasher.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "code-secret-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the local code secret file", () => {
  it("is made on first use: 32 random bytes only its owner may read, in a folder it creates", async () => {
    const path = join(dir, "data", "code-secret");
    const key = await fileSecretKey(path)();
    expect(key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("keeps its key between runs and agrees with a racing first start", async () => {
    const path = join(dir, "code-secret");
    const [a, b] = await Promise.all([fileSecretKey(path)(), fileSecretKey(path)()]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const later = createHmacHasher(fileSecretKey(path));
    const earlier = createHmacHasher(() => Promise.resolve(a));
    expect(await later.digest("x")).toBe(await earlier.digest("x"));
  });

  it("gives another key another digest, and refuses a key shorter than 32 bytes", async () => {
    const one = createHmacHasher(fileSecretKey(join(dir, "one")));
    const two = createHmacHasher(fileSecretKey(join(dir, "two")));
    expect(await one.digest("verification-code:e:123456")).not.toBe(await two.digest("verification-code:e:123456"));
    await expect(createHmacHasher(() => Promise.resolve(Buffer.alloc(16))).digest("x")).rejects.toThrow(/at least 32 bytes/);
  });
});
