import { resolve } from "node:path";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, EventBridgeEvent } from "aws-lambda";
import { outboxEntriesOf } from "../../src/adapters/dynamodb/outboxStreamRecords.js";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { createSqsDeadLetterQueue } from "../../src/adapters/sqs/sqsDeadLetterQueue.js";
import { ruleArn, targetDeadLetterMessage } from "./deadLetters.js";
import { createLocalEventBus, type DeadLetter, type LocalEventBus, type TargetEvent } from "./eventBus.js";
import { startEventBridgeServer } from "./eventBridgeServer.js";
import { lambdaContext, loadHandler } from "../lambda/lambdaRuntime.js";
import type { ServerlessFunction } from "../lambda/serverlessFunctions.js";
import type { LocalSqs } from "../sqs/sqsServer.js";
import { fileStreamCheckpoint } from "../dynamodb/streamCheckpoint.js";
import { createStreamPoller, type StreamPoller } from "../dynamodb/streamPoller.js";
import { readStreamMapping } from "../dynamodb/streamMapping.js";

export interface EventPipelineOptions {
  eventBridgePort: number;
  region: string;
  functions: ServerlessFunction[];
  /** Adds a target that always fails on the user-events rule, so the dead-letter path can be seen. */
  failingTarget?: boolean;
  /** Where the relay keeps its stream position when the table outlives the stack; unset reads from LATEST each start. */
  checkpointFile?: string;
  /** The local SQS server and its queues: rule targets' dead letters and the relay's failures go there. */
  sqs: LocalSqs;
  eventsDlq: string;
  relayFailures: string;
  /** The bus's name, for the rule ARNs in dead letters. */
  eventBusName: string;
  log: (line: string) => void;
}

export interface EventPipeline {
  bus: LocalEventBus;
  eventBridgeEndpoint: string;
  /** Starts reading the table's stream; call once the table exists and the handlers' graph is set. */
  startRelay(dynamoEndpoint: string, tableName: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A bus's dead letters into a queue on the local SQS server, as EventBridge sends to a target's
 * dead-letter queue (the events DLQ in Terraform, for every rule): `/_local/dlq` reads them there.
 */
export function deadLettersToQueue(options: { sqs: LocalSqs; queue: string; eventBusName: string }) {
  const client = new SQSClient({ region: options.sqs.region, ...localEndpoint(options.sqs.endpoint) });
  return {
    send: async (letter: DeadLetter) => {
      const arn = ruleArn(options.sqs.region, options.sqs.accountId, options.eventBusName, letter.rule);
      await client.send(new SendMessageCommand({ QueueUrl: options.sqs.queueUrl(options.queue), ...targetDeadLetterMessage(letter, arn) }));
    },
    stop: () => client.destroy(),
  };
}

/**
 * Outbox to consumers on one machine: the table's stream -> the real outbox relay -> the local
 * PutEvents endpoint -> the local bus with Terraform's rules -> a log target and the real
 * Cognito-sync consumer, with retries and dead letters.
 */
export async function startEventPipeline(options: EventPipelineOptions): Promise<EventPipeline> {
  const toDlq = deadLettersToQueue({ sqs: options.sqs, queue: options.eventsDlq, eventBusName: options.eventBusName });
  const bus = createLocalEventBus({ region: options.region, onDeadLetter: toDlq.send });
  // The stream's on-failure destination: what the relay itself never got through, kept as the
  // relay's own dead letters are (redrivable), in the relay-failures queue.
  const relayFailures = createSqsDeadLetterQueue({
    region: options.region,
    eventBusName: options.eventBusName,
    sqsEndpoint: options.sqs.endpoint,
    queueUrl: options.sqs.queueUrl(options.relayFailures),
  });
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

  let poller: StreamPoller | undefined;
  return {
    bus,
    eventBridgeEndpoint: eventBridge.endpoint,
    async startRelay(dynamoEndpoint, tableName) {
      const relay = fn("outboxRelay");
      // serverless.yml's mapping: the same batch size, retry count and maximum record age as in AWS.
      const { batchSize, maxRetryAttempts, maxRecordAgeSeconds } = readStreamMapping(resolve(import.meta.dirname, "../.."), relay.name);
      poller = createStreamPoller({
        endpoint: dynamoEndpoint,
        tableName,
        region: options.region,
        startingPosition: "LATEST",
        ...(batchSize === undefined ? {} : { batchSize }),
        ...(maxRetryAttempts === undefined ? {} : { maxRetryAttempts }),
        ...(maxRecordAgeSeconds === undefined ? {} : { maxRecordAgeSeconds }),
        ...(options.checkpointFile ? { checkpoint: fileStreamCheckpoint(options.checkpointFile) } : {}),
        handler: async (event: DynamoDBStreamEvent) => {
          const handler = await loadHandler(relay.handler);
          return (await handler(event, lambdaContext(relay.name, 30_000, options.region))) as DynamoDBBatchResponse;
        },
        // The event source mapping's on-failure destination: what the relay never got published.
        onFailure: async ({ records, error }) => {
          const entries = outboxEntriesOf(records).entries.map((entry) => ({ ...entry, error: { code: "RelayFailed", message: error } }));
          const { failed } = await relayFailures.send(entries);
          if (failed.length > 0) options.log(JSON.stringify({ level: "ERROR", message: "relay failures not stored", failed }));
        },
        onError: (error) => options.log(JSON.stringify({ level: "WARN", message: "stream polling failed", error: String(error) })),
      });
      await poller.start();
    },
    async stop() {
      await poller?.stop();
      await bus.stop();
      toDlq.stop();
      await eventBridge.stop();
    },
  };
}
