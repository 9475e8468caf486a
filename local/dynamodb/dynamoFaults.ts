import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { awsJsonError, close, listen, readBody } from "../server/listen.js";

/** Addresses whose sign-up the fault switch targets: any address containing this. */
export const FAIL_POST_CONFIRMATION_MARK = "fail-postconfirmation";

export interface DynamoFaultProxy {
  /** Where the handlers' DynamoDB clients point (DYNAMODB_ENDPOINT) while faults are on. */
  endpoint: string;
  /**
   * Runs `work` (a PostConfirmation invocation) with the table refusing, with InternalServerError,
   * every TransactWriteItems that names a marked address: the trigger's profile write fails after
   * its retries and the job goes to the sign-up retry queue. Later writes (the retry processor's) pass.
   */
  failingMarkedWrites<T>(work: () => Promise<T>): Promise<T>;
  /** TransactWriteItems requests refused so far. */
  refused(): number;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * A local-only fault switch (LOCAL_FAULTS=1, the e2e stack): a pass-through proxy in front of
 * DynamoDB Local for the handlers, which refuses marked writes only while a failing window is
 * open. It exists so the sign-up fallback (PostConfirmation fails -> queue -> processor -> profile)
 * can be run end to end; nothing like it is deployed.
 */
export async function startDynamoFaultProxy(options: { target: string; port?: number }): Promise<DynamoFaultProxy> {
  const target = new URL(options.target);
  let windows = 0;
  let refused = 0;
  const server = await listen(
    async (req, res) => {
      const body = await readBody(req, MAX_BODY_BYTES);
      const operation = req.headers["x-amz-target"];
      if (windows > 0 && operation === "DynamoDB_20120810.TransactWriteItems" && body.includes(FAIL_POST_CONFIRMATION_MARK)) {
        refused += 1;
        res.writeHead(500, { "Content-Type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "Refused on purpose by the local fault switch (LOCAL_FAULTS)" }));
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on("end", resolve);
            answer.on("error", reject);
          },
        );
        upstream.on("error", reject);
        upstream.end(body);
      });
    },
    options.port ?? 0,
    "DynamoDB fault proxy",
    { errorFormat: awsJsonError, refuseBrowsers: true, maxBodyBytes: MAX_BODY_BYTES },
  );
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async failingMarkedWrites(work) {
      windows += 1;
      try {
        return await work();
      } finally {
        windows -= 1;
      }
    },
    refused: () => refused,
    stop: () => close(server),
  };
}
