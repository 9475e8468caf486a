import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cloudTrailEntry, cognitoSelfServiceRule } from "../../local/cognito/cloudTrail.js";
import { CLIENT_SETTINGS, POOL_SETTINGS } from "../../local/cognito/poolSettings.js";
import { matchesPattern, type EventPattern } from "../../local/events/eventPattern.js";
import { first, readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await readTerraform();
});

const asArray = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];

describe("the app client's attribute permissions", () => {
  it("are what Cognito accepts: every required attribute writable, no *_verified, nothing else the service owns", () => {
    const pool = resource(tf, "aws_cognito_user_pool", "main");
    const client = resource(tf, "aws_cognito_user_pool_client", "main");
    const write = client.write_attributes as string[];
    // An empty list would mean "every standard attribute".
    expect(write.length).toBeGreaterThan(0);
    const required = asArray(pool.schema).filter((a) => a.required === true).map((a) => String(a.name));
    for (const name of required) expect(write, `required ${name}`).toContain(name);
    for (const name of ["email_verified", "phone_number_verified", "given_name", "family_name", "name", "phone_number"]) {
      expect(write, name).not.toContain(name);
    }
    expect(client.read_attributes).toEqual(expect.arrayContaining(["email", "email_verified"]));
  });

  it("are the local client's, on a pool that keeps an email change pending as Terraform's does", () => {
    const client = resource(tf, "aws_cognito_user_pool_client", "main");
    expect(client.write_attributes).toEqual(CLIENT_SETTINGS.WriteAttributes);
    expect(client.read_attributes).toEqual(CLIENT_SETTINGS.ReadAttributes);
    const pool = resource(tf, "aws_cognito_user_pool", "main");
    expect(first(pool.user_attribute_update_settings)).toEqual({
      attributes_require_verification_before_update: POOL_SETTINGS.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate,
    });
    const required = asArray(pool.schema).filter((a) => a.required === true).map((a) => String(a.name));
    expect(POOL_SETTINGS.Schema.filter((a) => a.Required).map((a) => a.Name)).toEqual(required);
  });
});

describe("a user's own DeleteUser and VerifyUserAttribute reach the service", () => {
  it("through a default-bus rule read from the file the local stack reads, on the CloudTrail records", () => {
    const rule = resource(tf, "aws_cloudwatch_event_rule", "cognito_self_service");
    expect(rule.event_bus_name ?? "default").toBe("default");
    expect(String(rule.event_pattern)).toContain("jsonencode(local.cognito_self_service_rule.pattern)");
    const tfFile = readFileSync(resolve(import.meta.dirname, "../../terraform/cognito_self_service.tf"), "utf8");
    expect(tfFile).toContain('file("${path.module}/../infra/cognito-self-service-rule.json")');

    const { pattern } = cognitoSelfServiceRule() as { pattern: EventPattern };
    const record = (eventName: string) => {
      const entry = cloudTrailEntry({ eventName, sub: "u-1" });
      return { source: entry.source, "detail-type": entry.detailType, detail: JSON.parse(entry.detail) as Record<string, unknown> };
    };
    expect(matchesPattern(pattern, record("DeleteUser"))).toBe(true);
    expect(matchesPattern(pattern, record("VerifyUserAttribute"))).toBe(true);
    expect(matchesPattern(pattern, record("AdminDeleteUser"))).toBe(false);
    expect(matchesPattern(pattern, record("UpdateUserAttributes"))).toBe(false);
  });

  it("targets the cognitoSelfService function with retries and the events DLQ", () => {
    const target = resource(tf, "aws_cloudwatch_event_target", "cognito_self_service");
    expect(target.rule).toBe("${aws_cloudwatch_event_rule.cognito_self_service.name}");
    expect(target.arn).toBe('${local.lambda_arn["cognitoSelfService"]}');
    expect(first(target.retry_policy)).toMatchObject({ maximum_retry_attempts: expect.any(Number) });
    expect(first(target.dead_letter_config)).toEqual({ arn: "${aws_sqs_queue.events_dlq.arn}" });
  });

  it("has a trail logging write management events, which EventBridge needs to receive API-call records", () => {
    const trail = resource(tf, "aws_cloudtrail", "management");
    expect(trail.enable_logging ?? true).toBe(true);
    expect(first(trail.event_selector)).toMatchObject({ read_write_type: "WriteOnly", include_management_events: true });
  });
});
