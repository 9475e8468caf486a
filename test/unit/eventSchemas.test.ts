import { readdirSync, readFileSync } from "node:fs";
import { systemActor } from "../../src/domain/activity.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEvent, EVENT_TYPES, type EventContext } from "../../src/domain/events.js";
import { EVENT_SCHEMA_DIALECT, EVENT_SCHEMA_DIR, eventSchemaFiles } from "../../scripts/generateEventSchemas.js";
import { assertValidEvent } from "../support/eventSchemas.js";

const ctx: EventContext = {
  correlationId: "corr-1",
  environment: "test",
  now: "2026-03-01T10:00:00.000Z",
  newId: () => "0b5c2b43-5a3f-4a8e-9d0e-4f6f9c1f2a10",
  actor: systemActor,
};

describe("committed event schemas", () => {
  it("are exactly what `npm run schemas` generates (run it after changing src/domain/events.ts)", () => {
    const generated = eventSchemaFiles();
    const committed = readdirSync(EVENT_SCHEMA_DIR).filter((name) => name.endsWith(".json")).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [name, content] of generated) {
      expect(readFileSync(join(EVENT_SCHEMA_DIR, name), "utf8"), name).toBe(content);
    }
  });

  it("exist for every event type, as draft-04 (the schema registry's JSONSchemaDraft4)", () => {
    expect(EVENT_SCHEMA_DIALECT).toBe("http://json-schema.org/draft-04/schema#");
    for (const type of EVENT_TYPES) {
      const text = readFileSync(join(EVENT_SCHEMA_DIR, `${type}.json`), "utf8");
      const schema = JSON.parse(text) as Record<string, unknown>;
      expect(schema.$schema).toBe(EVENT_SCHEMA_DIALECT);
      expect(schema).toMatchObject({ id: `https://schemas.user-service/events/${type}.json`, title: type });
      expect(schema.additionalProperties).toBe(false);
      // Keywords from later drafts that a draft-04 reader would silently ignore.
      expect(text).not.toMatch(/"(\$id|const|\$defs|prefixItems)":/);
    }
  });

  it("accept the events the domain creates", () => {
    const event = createEvent("email.primary.changed", { userId: "u1", emailId: "e2", oldEmail: "a@example.com", newEmail: "b@example.com" }, ctx, 2);
    expect(() => assertValidEvent(event.detailType, event.detail)).not.toThrow();
    const created = createEvent("user.created", { userId: "u1", email: "a@example.com" }, ctx, 1);
    expect(() => assertValidEvent("user.created", created.detail)).not.toThrow();
  });

  it("reject a detail with a missing field, an unknown field, a bad format or a code leak", () => {
    const { detail } = createEvent("email.verified", { userId: "u1", emailId: "e1", email: "a@example.com" }, ctx, 3);
    const { email: _email, ...missing } = detail;
    expect(() => assertValidEvent("email.verified", missing)).toThrow(/email/);
    expect(() => assertValidEvent("email.verified", { ...detail, code: "123456" })).toThrow(/additional properties/);
    expect(() => assertValidEvent("email.verified", { ...detail, occurredAt: "yesterday" })).toThrow(/occurredAt/);
    expect(() => assertValidEvent("email.verified", { ...detail, eventId: "not-a-uuid" })).toThrow(/eventId/);
    // `const` became a draft-04 `enum`: it must still pin the version.
    expect(() => assertValidEvent("email.verified", { ...detail, version: "2.0" })).toThrow(/version/);
    expect(() => assertValidEvent("user.exploded", detail)).toThrow(/No committed JSON Schema/);
  });
});
