import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { createRequestHandler, type ISqsServerOptions } from "local-aws-sqs";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { freePort } from "../server/freePort.js";
import { awsJsonError, close, listen, readBody, RequestError, type ErrorFormat } from "../server/listen.js";

export type QueueDefinition = NonNullable<ISqsServerOptions["queues"]>[number];

export interface LocalSqs {
  endpoint: string;
  port: number;
  region: string;
  accountId: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /**
   * Every message a queue holds, oldest first, read over SQS's own protocol: received (hidden for
   * a moment) until none is left, then made visible again. One browse at a time in this process.
   */
  browse(name: string): Promise<Message[]>;
  stop(): Promise<void>;
}

/** SQS's caps: 1 MiB per message and per batch; a request far over it is refused unread. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const ACCOUNT_ID = "000000000000";

/** SQS (AWS JSON 1.0) errors: `{__type, message}`, the query-compatible code in a header. */
const sqsError: ErrorFormat = (status, message, code) => {
  const reply = awsJsonError(status, message, code);
  return { ...reply, headers: { ...reply.headers, "Content-Type": "application/x-amz-json-1.0" } };
};

/** The request again, its body already read: what the package's handler reads it from. */
function replayed(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body]), { headers: req.headers, method: req.method, url: req.url }) as unknown as IncomingMessage;
}

/**
 * A local SQS server: local-aws-sqs (npm) speaking SQS's JSON protocol, with redrive policies,
 * visibility timeouts and receive counts, behind listen's rules (Host, browsers refused, size cap,
 * unparsable HTTP). The package also speaks the older Query protocol (XML errors); the SDK v3 uses
 * JSON, so only JSON is let through, and a request without an `AmazonSQS.*` target (which the
 * package fails on with a 500) is a 400 here.
 */
export async function startSqsServer(options: { port?: number; region: string; queues: QueueDefinition[] }): Promise<LocalSqs> {
  const port = options.port || (await freePort());
  const { requestHandler } = createRequestHandler({
    port,
    hostname: "127.0.0.1",
    region: options.region,
    accountId: ACCOUNT_ID,
    emulateQueueCreationLifecycle: false,
    queues: options.queues,
  });
  const server = await listen(
    async (req, res) => {
      const target = req.headers["x-amz-target"];
      if (req.method !== "POST") throw new RequestError(400, "SQS takes POST requests only", "InvalidAction");
      if (req.headers["content-type"] !== "application/x-amz-json-1.0") {
        throw new RequestError(400, "Only SQS's JSON protocol (application/x-amz-json-1.0) is served here", "UnsupportedOperation");
      }
      if (typeof target !== "string" || !/^AmazonSQS\.\w+$/.test(target)) {
        throw new RequestError(400, `Unsupported operation ${String(target)}`, "UnknownOperationException");
      }
      // The package reads bodies without a cap: it gets the body once read here, within the cap.
      await requestHandler(replayed(req, await readBody(req, MAX_REQUEST_BYTES)), res);
    },
    port,
    "SQS endpoint",
    { errorFormat: sqsError, refuseBrowsers: true, maxBodyBytes: MAX_REQUEST_BYTES },
  );
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SQSClient({ region: options.region, ...localEndpoint(endpoint) });
  const queueUrl = (name: string) => `${endpoint}/${ACCOUNT_ID}/${name}`;
  let browsing: Promise<unknown> = Promise.resolve();

  async function browseNow(name: string): Promise<Message[]> {
    const url = queueUrl(name);
    const taken: Message[] = [];
    try {
      for (;;) {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0, AttributeNames: ["All"], MessageAttributeNames: ["All"] }),
        );
        if (Messages.length === 0) break;
        taken.push(...Messages);
      }
    } finally {
      for (let i = 0; i < taken.length; i += 10) {
        const chunk = taken.slice(i, i + 10);
        await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: url,
            Entries: chunk.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle ?? "", VisibilityTimeout: 0 })),
          }),
        );
      }
    }
    const sent = (m: Message) => Number(m.Attributes?.SentTimestamp ?? 0);
    return taken.sort((a, b) => sent(a) - sent(b));
  }

  return {
    endpoint,
    port: (server.address() as AddressInfo).port,
    region: options.region,
    accountId: ACCOUNT_ID,
    queueUrl,
    queueArn: (name) => `arn:aws:sqs:${options.region}:${ACCOUNT_ID}:${name}`,
    browse(name) {
      const result = browsing.then(() => browseNow(name));
      browsing = result.catch(() => undefined);
      return result;
    },
    async stop() {
      client.destroy();
      await close(server);
    },
  };
}
