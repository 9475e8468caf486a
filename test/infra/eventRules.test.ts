import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { matchesPattern, type EventPattern } from "../../local/events/eventPattern.js";
import { EVENT_SOURCE, EVENT_TYPES, type EventType } from "../../src/domain/events.js";
import { local, readTerraform, TERRAFORM_DIR } from "./support/terraform.js";

interface Rule {
  name: string;
  pattern: EventPattern;
}

/** The rules as Terraform will create them: the file its jsondecode(file(...)) names. */
let rules: Rule[];
beforeAll(async () => {
  const tf = await readTerraform();
  const expression = String(local(tf, "event_rules"));
  const path = /file\("\$\{path\.module\}\/([^"]+)"\)/.exec(expression)?.[1];
  if (!path) throw new Error(`no file() in local.event_rules: ${expression}`);
  rules = (JSON.parse(readFileSync(resolve(TERRAFORM_DIR, path), "utf8")) as { rules: Rule[] }).rules;
});

/** An event as EventBridge matches it (and as a rule target receives it). */
const eventOf = (detailType: string, source = EVENT_SOURCE) => ({
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": detailType,
  source,
  account: "123456789012",
  time: "2026-01-21T10:30:00Z",
  region: "us-east-1",
  resources: [],
  detail: { userId: "u-1", metadata: { correlationId: "c-1", environment: "ci", timestamp: "2026-01-21T10:30:00Z" } },
});

const matched = (rule: Rule): EventType[] => EVENT_TYPES.filter((type) => matchesPattern(rule.pattern, eventOf(type)));
const ruleNamed = (name: string): Rule => {
  const rule = rules.find((r) => r.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
};

describe("EventBridge rules Terraform creates", () => {
  it("user-events matches every user.* event and nothing else", () => {
    expect(matched(ruleNamed("user-events"))).toEqual(EVENT_TYPES.filter((t) => t.startsWith("user.")));
  });

  it("email-events matches every email.* event and nothing else", () => {
    expect(matched(ruleNamed("email-events"))).toEqual(EVENT_TYPES.filter((t) => t.startsWith("email.")));
  });

  it("cognito-sync matches the changes Cognito must follow and nothing else", () => {
    expect(matched(ruleNamed("cognito-sync")).sort()).toEqual(
      ["email.primary.changed", "user.deleted", "user.purged", "user.reactivated", "user.restored", "user.suspended"].sort(),
    );
  });

  it("together deliver every event type the service publishes", () => {
    const delivered = new Set(rules.flatMap(matched));
    expect([...delivered].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("ignore other sources", () => {
    for (const rule of rules) {
      for (const type of EVENT_TYPES) expect(matchesPattern(rule.pattern, eventOf(type, "other-service")), rule.name).toBe(false);
    }
  });

  it("fix the seed's single rule, whose user. prefix misses every email.* event", () => {
    const seedRule: Rule = { name: "seed", pattern: { source: ["user-service"], "detail-type": [{ prefix: "user." }] } };
    const missed = EVENT_TYPES.filter((type) => !matched(seedRule).includes(type));
    expect(missed).toEqual(EVENT_TYPES.filter((t) => t.startsWith("email.")));
    expect(missed.length).toBeGreaterThan(0);
  });
});
