import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { AppConfig } from "../../composition/config.js";
import type { EventPublisher, PublishEntry, PublishOutcome } from "../../ports/eventPublisher.js";

/** PutEvents against the service's bus; `eventBridgeEndpoint` points it at the local endpoint. */
export function createEventBridgePublisher(
  config: Pick<AppConfig, "region" | "eventBusName" | "eventBridgeEndpoint">,
): EventPublisher {
  const client = new EventBridgeClient({
    region: config.region,
    ...(config.eventBridgeEndpoint
      ? {
          endpoint: config.eventBridgeEndpoint,
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {}),
  });
  return {
    async publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]> {
      const response = await client.send(
        new PutEventsCommand({
          Entries: entries.map((entry) => ({
            EventBusName: config.eventBusName,
            Source: entry.source,
            DetailType: entry.detailType,
            Detail: entry.detail,
            Time: entry.time,
          })),
        }),
      );
      const results = response.Entries ?? [];
      // EventBridge answers entry by entry, in request order; a missing answer counts as a failure.
      return entries.map((_, index): PublishOutcome => {
        const result = results[index];
        if (result?.EventId && !result.ErrorCode) return { ok: true, busEventId: result.EventId };
        return {
          ok: false,
          errorCode: result?.ErrorCode ?? "MissingResult",
          errorMessage: result?.ErrorMessage ?? "PutEvents returned no result for this entry",
        };
      });
    },
  };
}
