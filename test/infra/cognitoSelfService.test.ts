import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cloudTrailEntry, cognitoDeletedUserRule } from "../../local/cognito/cloudTrail.js";
import { CLIENT_SETTINGS } from "../../local/cognito/poolSettings.js";
import { matchesPattern, type EventPattern } from "../../local/eventPattern.js";
import { first, readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await readTerraform();
});

/** Attributes the service owns: a user's own token must never write them (SPEC 11.2). */
const SERVICE_OWNED = ["email", "email_verified", "given_name", "family_name", "name", "phone_number", "phone_number_verified"];

describe("the app client's attribute permissions", () => {
  it("may write nothing the service owns, and not the empty list Cognito reads as 'everything'", () => {
    const client = resource(tf, "aws_cognito_user_pool_client", "main");
    const write = client.write_attributes as string[];
    expect(write.length).toBeGreaterThan(0);
    for (const name of SERVICE_OWNED) expect(write, name).not.toContain(name);
    expect(client.read_attributes).toEqual(expect.arrayContaining(["email", "email_verified"]));
  });

  it("are the local client's", () => {
    const client = resource(tf, "aws_cognito_user_pool_client", "main");
    expect(client.write_attributes).toEqual(CLIENT_SETTINGS.WriteAttributes);
    expect(client.read_attributes).toEqual(CLIENT_SETTINGS.ReadAttributes);
  });
});

describe("a user's own DeleteUser reaches the service", () => {
  it("through a default-bus rule read from the file the local stack reads, on the CloudTrail record", () => {
    const rule = resource(tf, "aws_cloudwatch_event_rule", "cognito_deleted_user");
    expect(rule.event_bus_name ?? "default").toBe("default");
    expect(String(rule.event_pattern)).toContain("jsonencode(local.cognito_deleted_user_rule.pattern)");
    const tfFile = readFileSync(resolve(import.meta.dirname, "../../terraform/cognito_deleted_user.tf"), "utf8");
    expect(tfFile).toContain('file("${path.module}/../infra/cognito-deleted-user-rule.json")');

    const { pattern } = cognitoDeletedUserRule() as { pattern: EventPattern };
    const record = (eventName: string) => {
      const entry = cloudTrailEntry({ eventName, sub: "u-1" });
      return { source: entry.source, "detail-type": entry.detailType, detail: JSON.parse(entry.detail) as Record<string, unknown> };
    };
    expect(matchesPattern(pattern, record("DeleteUser"))).toBe(true);
    expect(matchesPattern(pattern, record("AdminDeleteUser"))).toBe(false);
    expect(matchesPattern(pattern, record("UpdateUserAttributes"))).toBe(false);
  });

  it("targets the cognitoUserDeleted function with retries and the events DLQ", () => {
    const target = resource(tf, "aws_cloudwatch_event_target", "cognito_deleted_user");
    expect(target.rule).toBe("${aws_cloudwatch_event_rule.cognito_deleted_user.name}");
    expect(target.arn).toBe('${local.lambda_arn["cognitoUserDeleted"]}');
    expect(first(target.retry_policy)).toMatchObject({ maximum_retry_attempts: expect.any(Number) });
    expect(first(target.dead_letter_config)).toEqual({ arn: "${aws_sqs_queue.events_dlq.arn}" });
  });

  it("has a trail logging write management events, which EventBridge needs to receive API-call records", () => {
    const trail = resource(tf, "aws_cloudtrail", "management");
    expect(trail.enable_logging ?? true).toBe(true);
    expect(first(trail.event_selector)).toMatchObject({ read_write_type: "WriteOnly", include_management_events: true });
  });
});
