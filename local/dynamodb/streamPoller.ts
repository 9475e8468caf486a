import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { deliverBatch, type DeliveryStats, type RetryPolicy, type StreamFailure } from "./batchDelivery.js";
import { createDynamoClient } from "../../src/adapters/dynamodb/client.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { interruptibleDelays } from "../server/interruptibleDelays.js";
import { toLambdaRecord } from "./lambdaStreamRecord.js";
import type { StreamCheckpoint } from "./streamCheckpoint.js";

export type { StreamFailure } from "./batchDelivery.js";

export interface StreamPollerOptions extends RetryPolicy {
  endpoint: string;
  tableName: string;
  region?: string;
  /** The function on the stream (the real outbox relay, wrapped with a Lambda context). */
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** LATEST for a running stack, TRIM_HORIZON for tests that write before polling. */
  startingPosition?: "LATEST" | "TRIM_HORIZON";
  /**
   * Keeps the position between runs, as the event source mapping does: shards resume after their
   * last handled record, and the starting position only applies when nothing was ever saved.
   */
  checkpoint?: StreamCheckpoint;
  batchSize?: number;
  pollIntervalMs?: number;
  /** The on-failure destination: records given up on. */
  onFailure?: (failure: StreamFailure) => void | Promise<void>;
  /** Errors of the polling itself (the table went away, DynamoDB Local stopped). */
  onError?: (error: unknown) => void;
}

export interface StreamPoller {
  start(): Promise<void>;
  /** Stops polling and waits for the batch in hand; no timers are left behind. */
  stop(): Promise<void>;
  /** Invocations, retries, reported failures and discarded records so far. */
  stats(): DeliveryStats;
}

interface ShardState {
  parentId?: string;
  iterator?: string;
  lastSequence?: string;
  done: boolean;
}

/**
 * Lambda's DynamoDB event source mapping, on one machine: reads the table's stream from DynamoDB
 * Local and invokes the handler with DynamoDBStreamEvent batches, handling failures as the mapping
 * does (deliverBatch): a shard waits on its failed batch, retried from the reported record in
 * order, until it succeeds, runs out of retries or grows older than the maximum record age.
 */
export function createStreamPoller(options: StreamPollerOptions): StreamPoller {
  const region = options.region ?? "us-east-1";
  const dynamo = createDynamoClient({ endpoint: options.endpoint, region });
  const streams = new DynamoDBStreamsClient({ region, ...localEndpoint(options.endpoint) });
  const shards = new Map<string, ShardState>();
  let streamArn = "";
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const retryDelays = interruptibleDelays();
  let cycle: Promise<void> = Promise.resolve();

  async function listShards(): Promise<Shard[]> {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
      );
      all.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return all;
  }

  async function iterator(shardId: string, type: ShardIteratorType, sequence?: string): Promise<string | undefined> {
    try {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequence }),
      );
      return ShardIterator;
    } catch (error) {
      // The position is older than the stream keeps (24 hours): what is left is all there is.
      if (type === "AFTER_SEQUENCE_NUMBER" && error instanceof TrimmedDataAccessException) return iterator(shardId, "TRIM_HORIZON");
      throw error;
    }
  }

  /**
   * Shards seen at start begin at the starting position, or after their saved position; shards
   * that appear later, or that have no saved position while others were saved, from their start.
   */
  async function discover(initial: boolean, saved?: Record<string, string>) {
    for (const shard of await listShards()) {
      const id = shard.ShardId;
      if (!id || shards.has(id)) continue;
      const resumeAfter = saved?.[id];
      if (resumeAfter) {
        shards.set(id, { parentId: shard.ParentShardId, iterator: await iterator(id, "AFTER_SEQUENCE_NUMBER", resumeAfter), lastSequence: resumeAfter, done: false });
        continue;
      }
      const closed = Boolean(shard.SequenceNumberRange?.EndingSequenceNumber);
      const position = initial && !saved ? (options.startingPosition ?? "LATEST") : "TRIM_HORIZON";
      if (initial && position === "LATEST" && closed) {
        shards.set(id, { done: true });
        continue;
      }
      shards.set(id, { parentId: shard.ParentShardId, iterator: await iterator(id, position), done: false });
    }
  }

  async function pollShards(): Promise<boolean> {
    let received = false;
    for (const [id, state] of shards) {
      if (state.done || stopped) continue;
      const parent = state.parentId ? shards.get(state.parentId) : undefined;
      if (parent && !parent.done) continue; // a parent's records come before its children's
      try {
        state.iterator ??= await iterator(id, state.lastSequence ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON", state.lastSequence);
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: options.batchSize ?? 100 }));
        const records = page.Records ?? [];
        if (records.length > 0) {
          received = true;
          const handled = await deliver(records.map((record) => toLambdaRecord(record, streamArn, region)));
          state.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber;
          if (handled && state.lastSequence) await options.checkpoint?.save(id, state.lastSequence);
        }
        state.iterator = page.NextShardIterator;
        if (!page.NextShardIterator) state.done = true;
      } catch (error) {
        // An expired or trimmed iterator: take a fresh one after the last record handled.
        state.iterator = undefined;
        options.onError?.(error);
      }
    }
    return received;
  }

  const stats: DeliveryStats = { invocations: 0, retries: 0, reportedFailures: 0, discarded: 0 };
  const deliver = (batch: DynamoDBRecord[]) =>
    deliverBatch(batch, {
      handler: options.handler,
      ...(options.onFailure ? { onFailure: options.onFailure } : {}),
      policy: options,
      stats,
      wait: (ms) => retryDelays.wait(ms),
      stopped: () => stopped,
    });

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      cycle = (async () => {
        let received = false;
        try {
          await discover(false);
          received = await pollShards();
        } catch (error) {
          options.onError?.(error);
        }
        schedule(received ? 0 : (options.pollIntervalMs ?? 250));
      })();
    }, delayMs);
  };

  return {
    async start() {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`Table ${options.tableName} has no stream`);
      streamArn = Table.LatestStreamArn;
      await discover(true, await options.checkpoint?.load());
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      retryDelays.wakeAll();
      await cycle;
      dynamo.destroy();
      streams.destroy();
    },
    stats: () => ({ ...stats }),
  };
}
