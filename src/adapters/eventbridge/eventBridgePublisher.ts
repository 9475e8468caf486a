// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as eventBridge from "@aws-sdk/client-eventbridge";
import type { AppConfig } from "../../ports/config.js";
import { traced } from "../../observability.js";
import type { EventPublisher, PublishEntry, PublishLimits, PublishOutcome } from "../../ports/eventPublisher.js";
import { lazy } from "../lazy.js";
import { localEndpoint } from "../localEndpoint.js";

/**
 * PutEvents' per-entry error codes that reject the entry itself (EventBridge's "non-retryable"
 * list, and our own EntryTooLarge). Anything else (ThrottlingException, InternalFailure, a code
 * EventBridge adds later) is taken as the service's trouble: the entry is sent again later.
 */
const REJECTED_FOR_ITSELF = new Set([
  "EntryTooLarge",
  "InvalidArgument",
  "MalformedDetail",
  "ValidationException",
  "RedactionFailure",
  "AccessDeniedException",
  "InvalidAccountIdException",
  "NotAuthorizedForSourceException",
  "NotAuthorizedForDetailTypeException",
]);

/**
 * PutEvents' quotas: 10 entries per request, total entry size under 256 KB, an entry's size being
 * 14 bytes for Time plus the UTF-8 bytes of Source, DetailType and Detail.
 */
export const PUT_EVENTS_LIMITS: PublishLimits = {
  maxEntries: 10,
  maxBytes: 256 * 1024,
  sizeOf: (entry) =>
    14 + Buffer.byteLength(entry.source, "utf8") + Buffer.byteLength(entry.detailType, "utf8") + Buffer.byteLength(entry.detail, "utf8"),
};

export const isRetryablePutEventsError = (errorCode: string) => !REJECTED_FOR_ITSELF.has(errorCode);

/**
 * PutEvents against the service's bus; `eventBridgeEndpoint` points it at the local endpoint.
 * An entry over 256 KB is answered EntryTooLarge here and never sent: EventBridge would refuse the
 * whole request with a ValidationException, failing the entries beside it too.
 */
export function createEventBridgePublisher(
  config: Pick<AppConfig, "region" | "eventBusName" | "eventBridgeEndpoint">,
): EventPublisher {
  // Created on the first publish: only the outbox relay publishes.
  const sdk = lazy(async () => {
    const client = traced(new eventBridge.EventBridgeClient({ region: config.region, ...localEndpoint(config.eventBridgeEndpoint) }));
    return { client };
  });
  const { maxBytes, sizeOf } = PUT_EVENTS_LIMITS;
  return {
    limits: PUT_EVENTS_LIMITS,
    async publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]> {
      const outcomes: (PublishOutcome | undefined)[] = entries.map((entry) => {
        const size = sizeOf(entry);
        if (size < maxBytes) return undefined;
        return { ok: false, errorCode: "EntryTooLarge", errorMessage: `Entry is ${size} bytes, PutEvents takes under ${maxBytes}`, retryable: false };
      });
      const toSend = entries.filter((_, index) => outcomes[index] === undefined);
      if (toSend.length === 0) return outcomes as PublishOutcome[];

      const { client } = await sdk();
      const response = await client.send(
        new eventBridge.PutEventsCommand({
          Entries: toSend.map((entry) => ({
            EventBusName: config.eventBusName,
            Source: entry.source,
            DetailType: entry.detailType,
            Detail: entry.detail,
            Time: entry.time,
          })),
        }),
      );
      // EventBridge answers entry by entry, in request order; a missing answer counts as a failure.
      const results = response.Entries ?? [];
      let sent = 0;
      return outcomes.map((outcome): PublishOutcome => {
        if (outcome) return outcome;
        const result = results[sent++];
        if (result?.EventId && !result.ErrorCode) return { ok: true, busEventId: result.EventId };
        const errorCode = result?.ErrorCode ?? "MissingResult";
        return {
          ok: false,
          errorCode,
          errorMessage: result?.ErrorMessage ?? "PutEvents returned no result for this entry",
          retryable: isRetryablePutEventsError(errorCode),
        };
      });
    },
  };
}
