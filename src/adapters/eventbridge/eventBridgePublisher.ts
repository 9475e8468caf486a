// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as eventBridge from "@aws-sdk/client-eventbridge";
import type { AppConfig } from "../../ports/config.js";
import { traced } from "../../observability.js";
import type { EventPublisher, PublishEntry, PublishOutcome } from "../../ports/eventPublisher.js";
import { lazy } from "../lazy.js";
import { localEndpoint } from "../localEndpoint.js";

/** PutEvents against the service's bus; `eventBridgeEndpoint` points it at the local endpoint. */
export function createEventBridgePublisher(
  config: Pick<AppConfig, "region" | "eventBusName" | "eventBridgeEndpoint">,
): EventPublisher {
  // Created on the first publish: only the outbox relay publishes.
  const sdk = lazy(async () => {
    const client = traced(new eventBridge.EventBridgeClient({ region: config.region, ...localEndpoint(config.eventBridgeEndpoint) }));
    return { client };
  });
  return {
    async publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]> {
      const { client } = await sdk();
      const response = await client.send(
        new eventBridge.PutEventsCommand({
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
