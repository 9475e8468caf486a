import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from "aws-lambda";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { interruptibleDelays } from "../server/interruptibleDelays.js";

/** What became of one message the event source handed to the function. */
export interface Delivery {
  queue: string;
  messageId: string;
  body: string;
  receiveCount: number;
  /** deleted: the function succeeded for it; failed: left in the queue, received again after its visibility timeout. */
  outcome: "deleted" | "failed";
  error?: string;
  at: string;
}

export interface SqsEventSourceOptions {
  endpoint: string;
  region: string;
  queueUrl: string;
  queueArn: string;
  /** serverless.yml's batchSize. */
  batchSize: number;
  /** The function, invoked as Lambda's SQS event source mapping invokes it (ReportBatchItemFailures). */
  invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Pause between empty polls. */
  idleMs?: number;
  log: (line: string) => void;
}

export interface SqsEventSource {
  /** The latest deliveries, oldest first (at most 200). */
  deliveries(): Delivery[];
  stop(): Promise<void>;
}

function recordOf(message: Message, options: SqsEventSourceOptions): SQSRecord {
  const attributes = (message.Attributes ?? {}) as unknown as SQSRecordAttributes;
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType as never,
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
    };
  }
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: "aws:sqs",
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

/**
 * Lambda's SQS event source mapping on one machine: polls the queue over SQS's protocol, hands
 * each batch to the function as an SQS event, deletes what succeeded, and leaves what the function
 * reported failed (or every message, when it threw) for redelivery after the visibility timeout;
 * the queue's redrive policy moves a message received maxReceiveCount times to its DLQ.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const client = new SQSClient({ region: options.region, ...localEndpoint(options.endpoint) });
  const queue = options.queueArn.split(":").pop() ?? options.queueUrl;
  const delays = interruptibleDelays();
  const recent: Delivery[] = [];
  let stopped = false;

  const note = (record: SQSRecord, outcome: Delivery["outcome"], error?: string) => {
    recent.push({
      queue,
      messageId: record.messageId,
      body: record.body,
      receiveCount: Number(record.attributes.ApproximateReceiveCount ?? 0),
      outcome,
      ...(error ? { error } : {}),
      at: new Date().toISOString(),
    });
    if (recent.length > 200) recent.splice(0, recent.length - 200);
  };

  async function pollOnce(): Promise<number> {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize,
        WaitTimeSeconds: 0,
        AttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return 0;
    const records = Messages.map((m) => recordOf(m, options));
    let failed: Set<string>;
    let error: string | undefined;
    try {
      const response = await options.invoke({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (thrown) {
      // A function error fails the whole batch: every message comes back after its visibility timeout.
      error = thrown instanceof Error ? thrown.message : String(thrown);
      failed = new Set(records.map((r) => r.messageId));
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    for (const record of records) note(record, failed.has(record.messageId) ? "failed" : "deleted", failed.has(record.messageId) ? error : undefined);
    if (failed.size > 0) options.log(JSON.stringify({ level: "WARN", message: "queue messages left for redelivery", queue, messageIds: [...failed], ...(error ? { error } : {}) }));
    if (done.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }),
      );
    }
    return Messages.length;
  }

  const running = (async () => {
    while (!stopped) {
      let received = 0;
      try {
        received = await pollOnce();
      } catch (error) {
        if (!stopped) options.log(JSON.stringify({ level: "WARN", message: "queue polling failed", queue, error: String(error) }));
      }
      if (received === 0 && !stopped) await delays.wait(options.idleMs ?? 250);
    }
  })();

  return {
    deliveries: () => [...recent],
    async stop() {
      stopped = true;
      delays.wakeAll();
      await running;
      client.destroy();
    },
  };
}
