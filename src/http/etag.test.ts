import { describe, expect, it } from "vitest";
import { expectedVersionsOf, profileETag } from "./etag.js";

describe("If-Match and the profile's ETag", () => {
  it("names the version in a strong tag", () => {
    expect(profileETag({ version: 7 })).toBe('"v7"');
  });

  it("reads our tags, strong, weak or listed, as the versions a write may start from", () => {
    expect(expectedVersionsOf('"v1"')).toEqual([1]);
    expect(expectedVersionsOf('W/"v2"')).toEqual([2]);
    expect(expectedVersionsOf(' "v1", W/"v3" ')).toEqual([1, 3]);
  });

  it("is no condition when absent or `*`, and a condition none can meet for tags not ours", () => {
    expect(expectedVersionsOf(undefined)).toBeUndefined();
    expect(expectedVersionsOf("*")).toBeUndefined();
    expect(expectedVersionsOf('"v1", *')).toBeUndefined();
    expect(expectedVersionsOf('"abc"')).toEqual([]);
    expect(expectedVersionsOf("v1")).toEqual([]);
    expect(expectedVersionsOf('"v1x"')).toEqual([]);
  });
});
