import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EventBridgeEvent } from "aws-lambda";
import { createLocalEventBus, type BusEntry, type BusRule, type DeadLetter, type LocalEventBus } from "../events/eventBus.js";
import { lambdaContext, loadHandler } from "../lambda/lambdaRuntime.js";
import type { ServerlessFunction } from "../lambda/serverlessFunctions.js";

/** The rule Terraform puts on the account's default bus (terraform/cognito_self_service.tf reads the same file). */
export function cognitoSelfServiceRule(): BusRule {
  const file = join(import.meta.dirname, "..", "..", "infra", "cognito-self-service-rule.json");
  return JSON.parse(readFileSync(file, "utf8")) as BusRule;
}

/** What CloudTrail writes in place of a token or password in a Cognito record. */
const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

export interface CloudTrailCall {
  eventName: string;
  /** The caller's `sub`: Cognito records it in additionalEventData, the token itself is hidden. */
  sub: string;
  region?: string;
  account?: string;
}

/**
 * The CloudTrail record of a user-pool call made with an access token, as EventBridge delivers it
 * ("AWS API Call via CloudTrail" from aws.cognito-idp): the access token is hidden, the user is
 * named only by `additionalEventData.sub`, and the call came from no AWS principal.
 */
export function cloudTrailEntry(call: CloudTrailCall): BusEntry {
  const now = new Date();
  const region = call.region ?? "us-east-1";
  const account = call.account ?? "000000000000";
  const detail = {
    eventVersion: "1.08",
    userIdentity: { type: "Unknown", principalId: "Anonymous" },
    eventTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "cognito-idp.amazonaws.com",
    eventName: call.eventName,
    awsRegion: region,
    sourceIPAddress: "127.0.0.1",
    userAgent: "cognito-local",
    requestParameters: { accessToken: HIDDEN },
    responseElements: null,
    additionalEventData: { sub: call.sub },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: "Management",
  };
  return { source: "aws.cognito-idp", detailType: "AWS API Call via CloudTrail", detail: JSON.stringify(detail), time: now };
}

export interface DefaultBusOptions {
  region: string;
  /** Where the rule's target dead letters go (the events DLQ on the local SQS server, as Terraform's target DLQ). */
  onDeadLetter?: (letter: DeadLetter) => Promise<void>;
  functions: ServerlessFunction[];
  log: (line: string) => void;
}

/**
 * The account's default bus as far as this service uses it: one rule, the CloudTrail records of a
 * user's own DeleteUser and VerifyUserAttribute, targeting the cognitoSelfService function, with
 * the local bus's retries and dead letters.
 */
export function createDefaultBus(options: DefaultBusOptions): LocalEventBus {
  const rule = cognitoSelfServiceRule();
  const bus = createLocalEventBus({ rules: [rule], region: options.region, ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}) });
  const fn = options.functions.find((f) => f.name === "cognitoSelfService");
  if (!fn) throw new Error("serverless.yml has no function cognitoSelfService");
  bus.addTarget(rule.name, async (event) => {
    const handler = await loadHandler(fn.handler);
    await handler(event as EventBridgeEvent<string, unknown>, lambdaContext(fn.name, 30_000, options.region));
    options.log(JSON.stringify({ level: "INFO", message: "CloudTrail event delivered", detailType: event["detail-type"], rule: rule.name }));
  });
  return bus;
}
