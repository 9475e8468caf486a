import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/domain/events.js";
import { matchesPattern, type EventPattern } from "../../local/events/eventPattern.js";

const event = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "email.verified",
  source: "user-service",
  account: "000000000000",
  time: "2026-03-01T10:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: {
    userId: "u-1",
    email: "ada@example.com",
    attempts: 3,
    tags: ["beta", "vip"],
    emails: [{ address: "a@example.com", primary: false }, { address: "b@example.com", primary: true }],
    metadata: { environment: "local", correlationId: null },
  },
};

const matches = (pattern: EventPattern) => matchesPattern(pattern, event);

describe("matchesPattern", () => {
  it("matches exact values, any of a list, and needs every field", () => {
    expect(matches({ source: ["user-service"] })).toBe(true);
    expect(matches({ source: ["other", "user-service"] })).toBe(true);
    expect(matches({ source: ["user-service"], "detail-type": ["email.added"] })).toBe(false);
    expect(matches({ detail: { attempts: [3] } })).toBe(true);
    expect(matches({ detail: { attempts: ["3"] } })).toBe(false);
    expect(matches({ detail: { metadata: { correlationId: [null] } } })).toBe(true);
    expect(matches({ detail: { missing: ["x"] } })).toBe(false);
  });

  it("matches prefix and suffix, also ignoring case", () => {
    expect(matches({ "detail-type": [{ prefix: "email." }] })).toBe(true);
    expect(matches({ "detail-type": [{ prefix: "user." }] })).toBe(false);
    expect(matches({ detail: { email: [{ suffix: "@example.com" }] } })).toBe(true);
    expect(matches({ detail: { email: [{ suffix: "@example.org" }] } })).toBe(false);
    expect(matches({ "detail-type": [{ prefix: { "equals-ignore-case": "EMAIL." } }] })).toBe(true);
    expect(matches({ detail: { attempts: [{ prefix: "3" }] } })).toBe(false);
  });

  it("matches anything-but values, lists and prefixes; a missing field is not 'anything'", () => {
    expect(matches({ "detail-type": [{ "anything-but": "email.added" }] })).toBe(true);
    expect(matches({ "detail-type": [{ "anything-but": ["email.added", "email.verified"] }] })).toBe(false);
    expect(matches({ "detail-type": [{ "anything-but": { prefix: "user." } }] })).toBe(true);
    expect(matches({ "detail-type": [{ "anything-but": { prefix: "email." } }] })).toBe(false);
    expect(matches({ detail: { attempts: [{ "anything-but": [1, 2] }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ "anything-but": "x" }] } })).toBe(false);
  });

  it("matches exists true and false", () => {
    expect(matches({ detail: { email: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { phone: [{ exists: true }] } })).toBe(false);
    expect(matches({ detail: { phone: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { email: [{ exists: false }] } })).toBe(false);
  });

  it("matches numeric ranges", () => {
    expect(matches({ detail: { attempts: [{ numeric: [">", 0, "<=", 3] }] } })).toBe(true);
    expect(matches({ detail: { attempts: [{ numeric: [">", 3] }] } })).toBe(false);
    expect(matches({ detail: { attempts: [{ numeric: ["=", 3] }] } })).toBe(true);
    expect(matches({ detail: { email: [{ numeric: [">", 0] }] } })).toBe(false);
  });

  it("matches nested objects, and arrays when any element matches", () => {
    expect(matches({ detail: { metadata: { environment: ["local"] } } })).toBe(true);
    expect(matches({ detail: { metadata: { environment: ["prod"] } } })).toBe(false);
    expect(matches({ detail: { tags: ["vip"] } })).toBe(true);
    expect(matches({ detail: { tags: ["gold"] } })).toBe(false);
    expect(matches({ detail: { emails: { primary: [true], address: ["b@example.com"] } } })).toBe(true);
    expect(matches({ detail: { email: { nested: ["x"] } } })).toBe(false);
  });

  it("matches $or alternatives, equals-ignore-case and wildcard", () => {
    expect(matches({ $or: [{ source: ["nope"] }, { detail: { userId: ["u-1"] } }] })).toBe(true);
    expect(matches({ $or: [{ source: ["nope"] }, { detail: { userId: ["u-2"] } }] })).toBe(false);
    expect(matches({ source: [{ "equals-ignore-case": "USER-SERVICE" }] })).toBe(true);
    expect(matches({ "detail-type": [{ wildcard: "email.*" }] })).toBe(true);
    expect(matches({ "detail-type": [{ wildcard: "*.added" }] })).toBe(false);
  });

  it("refuses an operator it does not know instead of silently not matching", () => {
    expect(() => matches({ source: [{ prefixx: "user" }] })).toThrow(/Unsupported/);
  });
});

describe("the rules in infra/event-rules.json", () => {
  const { rules } = JSON.parse(readFileSync("infra/event-rules.json", "utf8")) as {
    rules: { name: string; pattern: EventPattern }[];
  };
  const routed = (detailType: string, source = "user-service") =>
    rules.filter((r) => matchesPattern(r.pattern, { ...event, source, "detail-type": detailType })).map((r) => r.name);

  it("route every event type to exactly one of user-events and email-events", () => {
    for (const type of EVENT_TYPES) {
      const expected = type.startsWith("user.") ? "user-events" : "email-events";
      expect(routed(type).filter((name) => name !== "cognito-sync"), type).toEqual([expected]);
    }
  });

  it("send the changes Cognito must follow to cognito-sync, and nothing else", () => {
    const synced = EVENT_TYPES.filter((type) => routed(type).includes("cognito-sync"));
    expect(synced.sort()).toEqual(["email.primary.changed", "user.deleted", "user.purged", "user.reactivated", "user.restored", "user.suspended"]);
  });

  it("ignore other sources", () => {
    expect(routed("user.created", "someone-else")).toEqual([]);
  });

  it("fix the seed's single `user.` rule, which never matches email.* events", () => {
    const seedRule: EventPattern = { source: ["user-service"], "detail-type": [{ prefix: "user." }] };
    const missed = EVENT_TYPES.filter((type) => !matchesPattern(seedRule, { ...event, "detail-type": type }));
    expect(missed).toEqual(EVENT_TYPES.filter((type) => type.startsWith("email.")));
    expect(missed.length).toBeGreaterThan(0);
  });
});
