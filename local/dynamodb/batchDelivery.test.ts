import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { deliverBatch, type DeliveryStats, type RetryPolicy, type StreamFailure } from "./batchDelivery.js";

const record = (seq: number, createdSeconds = 1_800_000_000): DynamoDBRecord => ({
  eventName: "INSERT",
  dynamodb: { SequenceNumber: String(seq), ApproximateCreationDateTime: createdSeconds },
});
const seqs = (records: readonly DynamoDBRecord[]) => records.map((r) => Number(r.dynamodb?.SequenceNumber));

/** Delivers records 1..5 to a handler that answers in turn from `answers` (an error is thrown). */
async function run(answers: (DynamoDBBatchResponse | Error)[], policy: RetryPolicy, now = () => 1_800_000_000_000, stop = () => false) {
  const invocations: number[][] = [];
  const failures: StreamFailure[] = [];
  const waits: number[] = [];
  const stats: DeliveryStats = { invocations: 0, retries: 0, reportedFailures: 0, discarded: 0 };
  const handled = await deliverBatch([1, 2, 3, 4, 5].map((n) => record(n)), {
    handler: async (event: DynamoDBStreamEvent) => {
      invocations.push(seqs(event.Records));
      const answer = answers.shift() ?? { batchItemFailures: [] };
      if (answer instanceof Error) throw answer;
      return answer;
    },
    onFailure: (failure) => void failures.push(failure),
    policy,
    stats,
    wait: async (ms) => void waits.push(ms),
    stopped: stop,
    now,
  });
  return { handled, invocations, failures, waits, stats };
}

const failed = (...ids: number[]) => ({ batchItemFailures: ids.map((id) => ({ itemIdentifier: String(id) })) });

describe("deliverBatch: Lambda's handling of a stream batch with ReportBatchItemFailures", () => {
  it("retries from the lowest reported record, in order, with a doubling capped backoff", async () => {
    const { invocations, failures, waits, stats } = await run([failed(4, 3), failed(3), failed(5)], { retryDelayMs: 100, maxRetryDelayMs: 250 });
    expect(invocations).toEqual([[1, 2, 3, 4, 5], [3, 4, 5], [3, 4, 5], [5]]);
    expect(waits).toEqual([100, 200, 250]);
    expect(failures).toEqual([]);
    expect(stats).toEqual({ invocations: 4, retries: 3, reportedFailures: 3, discarded: 0 });
  });

  it("retries the whole batch after an error or an identifier that is not in it", async () => {
    const { invocations } = await run([new Error("crash"), failed(99)], {});
    expect(invocations).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
  });

  it("gives the rest of the batch, from the reported record, to the on-failure destination after the last retry", async () => {
    const { handled, invocations, failures, stats } = await run([failed(2), failed(2), failed(2)], { maxRetryAttempts: 2 });
    expect(handled).toBe(true);
    expect(invocations).toHaveLength(3);
    expect(failures.map((f) => [seqs(f.records), f.attempts, f.error])).toEqual([[[2, 3, 4, 5], 3, "Reported as batch item failures"]]);
    expect(stats.discarded).toBe(4);
  });

  it("with no retry count, gives records up once they are older than the maximum record age", async () => {
    let clock = 1_800_000_000_000;
    const answers = Array.from({ length: 50 }, () => failed(1));
    const { failures, invocations } = await run(answers, { maxRetryAttempts: -1, maxRecordAgeSeconds: 120, retryDelayMs: 0 }, () => (clock += 10_000));
    // Created in the minute after 1_800_000_000 s (DynamoDB Local's minutes), read at 1_800_000_010 s.
    expect(failures.map((f) => [seqs(f.records), f.error])).toEqual([[[1, 2, 3, 4, 5], "Record is older than the maximum record age"]]);
    expect(invocations.length).toBeGreaterThan(5);
  });

  it("abandons the batch when stopped during a retry, so it is read again on the next start", async () => {
    let stopped = false;
    const { handled, failures } = await run([failed(1), failed(1)], { maxRetryAttempts: -1 }, undefined, () => {
      const was = stopped;
      stopped = true;
      return was;
    });
    expect(handled).toBe(false);
    expect(failures).toEqual([]);
  });
});
