import type { Message } from "@aws-sdk/client-sqs";
import type { DeadLetterMessage } from "../../src/adapters/sqs/sqsDeadLetterQueue.js";
import type { DeadLetter, TargetEvent } from "./eventBus.js";

/** A message of the events DLQ (or the relay-failures queue) as `GET /_local/dlq` lists it. */
export interface ListedDeadLetter {
  event: TargetEvent;
  /** The rule whose target could not take the event; "outbox-relay" for what the relay could not publish. */
  rule: string;
  error: string;
  failedAt: string;
  queue: string;
  messageId: string;
}

/**
 * What EventBridge puts in a rule target's dead-letter queue: the event itself as the body, the
 * rule and the error in message attributes.
 */
export function targetDeadLetterMessage(letter: DeadLetter, ruleArn: string) {
  const attribute = (value: string) => ({ DataType: "String", StringValue: value.slice(0, 256) || "-" });
  return {
    MessageBody: JSON.stringify(letter.event),
    MessageAttributes: {
      RULE_ARN: attribute(ruleArn),
      ERROR_CODE: attribute("TargetFailure"),
      ERROR_MESSAGE: attribute(letter.error),
    },
  };
}

export const ruleArn = (region: string, account: string, bus: string, rule: string) => `arn:aws:events:${region}:${account}:rule/${bus}/${rule}`;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads back either shape the stack writes: an event with its rule in attributes, or the relay's dead letter. */
export function listedDeadLetter(message: Message, queue: string, region: string, account: string): ListedDeadLetter | undefined {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? "");
  } catch {
    return undefined;
  }
  if (!isObject(body)) return undefined;
  const failedAt = new Date(Number(message.Attributes?.SentTimestamp ?? Date.now())).toISOString();
  const base = { failedAt, queue, messageId: message.MessageId ?? "" };
  if (typeof body.DetailType === "string" && typeof body.Detail === "string") {
    const relayed = body as unknown as DeadLetterMessage;
    const detail = JSON.parse(relayed.Detail) as Record<string, unknown>;
    return {
      ...base,
      event: {
        version: "0",
        id: typeof detail.eventId === "string" ? detail.eventId : (message.MessageId ?? ""),
        "detail-type": relayed.DetailType,
        source: relayed.Source,
        account,
        time: relayed.Time,
        region,
        resources: [],
        detail,
      },
      rule: "outbox-relay",
      error: `${relayed.ErrorCode}: ${relayed.ErrorMessage}`,
    };
  }
  if (typeof body["detail-type"] === "string" && isObject(body.detail)) {
    const attributes = message.MessageAttributes ?? {};
    return {
      ...base,
      event: body as unknown as TargetEvent,
      rule: (attributes.RULE_ARN?.StringValue ?? "").split("/").pop() ?? "",
      error: attributes.ERROR_MESSAGE?.StringValue ?? "",
    };
  }
  return undefined;
}
