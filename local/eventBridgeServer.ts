import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BusEntry } from "./eventBus.js";
import { close, listen, readText } from "./listen.js";

/** A PutEvents entry as the SDK sends it (AWS JSON 1.1: Time is epoch seconds). */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number;
}

export interface RecordedCall {
  entries: PutEventsEntry[];
  failedEntryCount: number;
}

export interface EventBridgeServerOptions {
  /** 0 or unset: any free port. */
  port?: number;
  /** The local bus: receives every accepted entry, in request order. */
  onEvent: (entry: BusEntry & { id: string; eventBusName?: string }) => void;
  /** Share of entries to refuse with InternalFailure, for tests (0..1). */
  failureRate?: number;
  /** Refuse the entries for which this returns true (tests: "always refuse this event"). */
  reject?: (entry: PutEventsEntry) => boolean;
  random?: () => number;
}

export interface EventBridgeServer {
  endpoint: string;
  port: number;
  /** Every PutEvents request received, oldest first. */
  calls(): RecordedCall[];
  stop(): Promise<void>;
}

// EventBridge's own limits, so a relay that breaks them fails here as it would in AWS.
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

/**
 * A local PutEvents endpoint speaking EventBridge's AWS JSON 1.1 protocol (POST /, header
 * X-Amz-Target: AWSEvents.PutEvents), so the real @aws-sdk/client-eventbridge talks to it.
 */
export async function startEventBridgeServer(options: EventBridgeServerOptions): Promise<EventBridgeServer> {
  const random = options.random ?? Math.random;
  const calls: RecordedCall[] = [];

  const putEvents = (body: { Entries?: PutEventsEntry[] }) => {
    const entries = body.Entries ?? [];
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      return validationError(`Entries must hold between 1 and ${MAX_ENTRIES} items, got ${entries.length}`);
    }
    if (entries.reduce((sum, e) => sum + entrySize(e), 0) >= MAX_BYTES) {
      return validationError("Total size of the entries in the request is over the limit.");
    }
    const results = entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail) {
        return { ErrorCode: "InvalidArgument", ErrorMessage: "Source, DetailType and Detail are required." };
      }
      if (!isJsonObject(entry.Detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
      if (options.reject?.(entry) || random() < (options.failureRate ?? 0)) {
        return { ErrorCode: "InternalFailure", ErrorMessage: "Refused on purpose by the local EventBridge." };
      }
      const id = randomUUID();
      options.onEvent({
        id,
        source: entry.Source,
        detailType: entry.DetailType,
        detail: entry.Detail,
        time: entry.Time === undefined ? new Date() : new Date(entry.Time * 1000),
        resources: entry.Resources ?? [],
        ...(entry.EventBusName ? { eventBusName: entry.EventBusName } : {}),
      });
      return { EventId: id };
    });
    const failedEntryCount = results.filter((r) => "ErrorCode" in r).length;
    calls.push({ entries, failedEntryCount });
    return { status: 200, body: { FailedEntryCount: failedEntryCount, Entries: results } };
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const target = request.headers["x-amz-target"];
    const raw = await readText(request);
    if (request.method !== "POST" || target !== "AWSEvents.PutEvents") {
      return send(response, 400, { __type: "UnknownOperationException", message: `Unsupported operation ${String(target)}` });
    }
    let body: { Entries?: PutEventsEntry[] };
    try {
      body = JSON.parse(raw || "{}") as { Entries?: PutEventsEntry[] };
    } catch {
      return send(response, 400, { __type: "SerializationException", message: "Request body is not JSON" });
    }
    const result = putEvents(body);
    send(response, result.status, result.body);
  }

  const server = await listen(
    (request, response) => {
      void handle(request, response).catch((error: unknown) => {
        send(response, 500, { __type: "InternalException", message: error instanceof Error ? error.message : String(error) });
      });
    },
    options.port ?? 0,
    "EventBridge endpoint",
  );
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, port, calls: () => [...calls], stop: () => close(server) };
}

function validationError(message: string) {
  return { status: 400, body: { __type: "ValidationException", message } };
}

function entrySize(entry: PutEventsEntry): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s, "utf8") : 0);
  return (entry.Time === undefined ? 0 : 14) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0);
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": randomUUID() });
  response.end(JSON.stringify(body));
}
