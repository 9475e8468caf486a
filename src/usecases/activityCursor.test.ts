import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHmacHasher } from "../adapters/secrets/hmacHasher.js";
import { activityCursors, InvalidCursorError } from "./activityCursor.js";

const hasher = () => createHmacHasher(() => Promise.resolve(randomBytes(32)));
const position = { occurredAt: "2030-01-01T00:00:00.000Z", activityId: "0b5c2b43-5a3f-4a8e-9d0e-4f6f9c1f2a10" };

describe("activity cursors", () => {
  const cursors = activityCursors(hasher());

  it("round-trips a position for the user it was made for, as one base64url token", async () => {
    const cursor = await cursors.encode("alice", position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await cursors.decode("alice", cursor)).toEqual(position);
  });

  it("refuses another user's cursor, though its signature is good", async () => {
    const cursor = await cursors.encode("alice", position);
    await expect(cursors.decode("bob", cursor)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("refuses a cursor signed under another key (another deployment)", async () => {
    const foreign = await activityCursors(hasher()).encode("alice", position);
    await expect(cursors.decode("alice", foreign)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("refuses an edited position: the payload re-encoded to start elsewhere keeps the old signature", async () => {
    const cursor = await cursors.encode("alice", position);
    const [, signature] = cursor.split(".");
    const edited = Buffer.from(JSON.stringify({ u: "alice", at: "2031-01-01T00:00:00.000Z", id: position.activityId })).toString("base64url");
    await expect(cursors.decode("alice", `${edited}.${signature}`)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it.each([
    ["one character changed", (c: string) => `${c.slice(0, 5)}${c[5] === "A" ? "B" : "A"}${c.slice(6)}`],
    ["a changed signature", (c: string) => `${c.slice(0, -2)}${c.endsWith("AA") ? "BB" : "AA"}`],
    ["truncated", (c: string) => c.slice(0, -4)],
    ["without its signature", (c: string) => c.split(".")[0]!],
    ["with a third part", (c: string) => `${c}.x`],
    ["padded", (c: string) => `${c}=`],
    ["garbage", () => "not-a-cursor"],
    ["over the length limit", (c: string) => c + "A".repeat(600)],
  ])("refuses a cursor %s", async (_label, mangle) => {
    const cursor = await cursors.encode("alice", position);
    const error = await cursors.decode("alice", mangle(cursor)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCursorError);
    expect(error).toMatchObject({ message: "Invalid cursor", details: [{ field: "cursor", message: "Invalid cursor" }] });
  });
});
