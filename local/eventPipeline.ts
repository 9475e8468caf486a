import type { DynamoDBBatchResponse, DynamoDBStreamEvent, EventBridgeEvent } from "aws-lambda";
import { outboxEntriesOf } from "../src/adapters/dynamodb/outboxStreamRecords.js";
import { EVENT_SOURCE } from "../src/domain/events.js";
import type { DeadLetterQueue } from "../src/ports/deadLetterQueue.js";
import { createLocalEventBus, type LocalEventBus, type TargetEvent } from "./eventBus.js";
import { startEventBridgeServer } from "./eventBridgeServer.js";
import { lambdaContext, loadHandler } from "./lambdaRuntime.js";
import type { ServerlessFunction } from "./serverlessFunctions.js";
import { fileStreamCheckpoint } from "./streamCheckpoint.js";
import { createStreamPoller, type StreamPoller } from "./streamPoller.js";

export interface EventPipelineOptions {
  eventBridgePort: number;
  region: string;
  functions: ServerlessFunction[];
  /** Adds a target that always fails on the user-events rule, so the dead-letter path can be seen. */
  failingTarget?: boolean;
  /** Where the relay keeps its stream position when the table outlives the stack; unset reads from LATEST each start. */
  checkpointFile?: string;
  log: (line: string) => void;
}

export interface EventPipeline {
  bus: LocalEventBus;
  eventBridgeEndpoint: string;
  /** The relay's dead-letter queue (SQS in AWS): lands in the bus's DLQ, shown at /_local/dlq. */
  deadLetterQueue: DeadLetterQueue;
  /** Starts reading the table's stream; call once the table exists and the handlers' graph is set. */
  startRelay(dynamoEndpoint: string, tableName: string): Promise<void>;
  stop(): Promise<void>;
}

/** An outbox entry as the PutEvents entry the relay would have sent for it. */
const busEntryOf = (entry: { eventId: string; detailType: string; detail: string }) => ({
  id: entry.eventId,
  source: EVENT_SOURCE,
  detailType: entry.detailType,
  detail: entry.detail,
});

/**
 * Outbox to consumers on one machine: the table's stream -> the real outbox relay -> the local
 * PutEvents endpoint -> the local bus with Terraform's rules -> a log target and the real
 * Cognito-sync consumer, with retries and dead letters.
 */
export async function startEventPipeline(options: EventPipelineOptions): Promise<EventPipeline> {
  const bus = createLocalEventBus({ region: options.region });
  const eventBridge = await startEventBridgeServer({ port: options.eventBridgePort, onEvent: (entry) => bus.put(entry) });
  const fn = (name: string) => {
    const found = options.functions.find((f) => f.name === name);
    if (!found) throw new Error(`serverless.yml has no function ${name}`);
    return found;
  };

  const logTarget = (event: TargetEvent) => {
    const metadata = event.detail.metadata as { correlationId?: string } | undefined;
    options.log(
      JSON.stringify({
        level: "INFO",
        message: "event delivered",
        detailType: event["detail-type"],
        eventId: event.detail.eventId,
        correlationId: metadata?.correlationId,
      }),
    );
  };
  bus.addTarget("user-events", logTarget);
  bus.addTarget("email-events", logTarget);

  const cognitoSync = fn("cognitoSync");
  bus.addTarget("cognito-sync", async (event) => {
    const handler = await loadHandler(cognitoSync.handler);
    await handler(event as EventBridgeEvent<string, unknown>, lambdaContext(cognitoSync.name, 30_000, options.region));
  });
  if (options.failingTarget) {
    bus.addTarget("user-events", () => {
      throw new Error("This target fails on purpose (LOCAL_FAILING_TARGET)");
    });
  }

  const deadLetterQueue: DeadLetterQueue = {
    async send(entries) {
      for (const e of entries) bus.deadLetter(busEntryOf(e), "outbox-relay", `${e.error.code}: ${e.error.message}`);
      return { failed: [] };
    },
  };

  let poller: StreamPoller | undefined;
  return {
    bus,
    eventBridgeEndpoint: eventBridge.endpoint,
    deadLetterQueue,
    async startRelay(dynamoEndpoint, tableName) {
      const relay = fn("outboxRelay");
      poller = createStreamPoller({
        endpoint: dynamoEndpoint,
        tableName,
        region: options.region,
        startingPosition: "LATEST",
        ...(options.checkpointFile ? { checkpoint: fileStreamCheckpoint(options.checkpointFile) } : {}),
        handler: async (event: DynamoDBStreamEvent) => {
          const handler = await loadHandler(relay.handler);
          return (await handler(event, lambdaContext(relay.name, 30_000, options.region))) as DynamoDBBatchResponse;
        },
        // The event source mapping's on-failure destination: what the relay never got published.
        onFailure: ({ records, error }) => {
          for (const entry of outboxEntriesOf(records).entries) bus.deadLetter(busEntryOf(entry), "outbox-relay", error);
        },
        onError: (error) => options.log(JSON.stringify({ level: "WARN", message: "stream polling failed", error: String(error) })),
      });
      await poller.start();
    },
    async stop() {
      await poller?.stop();
      await bus.stop();
      await eventBridge.stop();
    },
  };
}
