import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BusEntry } from "./eventBus.js";
import { close, listen, parseJson, readText, RequestError } from "../server/listen.js";

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
  /** The error the whole request was answered with, when it was (an outage's 503). */
  requestError?: string;
}

/** A whole request's error as EventBridge's JSON protocol answers it. */
export interface RequestFailure {
  status: number;
  type: string;
  message: string;
}

export interface EventBridgeServerOptions {
  /** 0 or unset: any free port. */
  port?: number;
  /** The local bus: receives every accepted entry, in request order. */
  onEvent: (entry: BusEntry & { id: string; eventBusName?: string }) => void;
  /** Share of entries to refuse with InternalFailure, for tests (0..1). */
  failureRate?: number;
  /** Refuse the entries for which this returns true with InternalFailure (tests: "always refuse this event"). */
  reject?: (entry: PutEventsEntry) => boolean;
  /**
   * The error code to refuse an entry with, or undefined to take it: ThrottlingException for every
   * entry during an outage, InvalidArgument for an entry EventBridge rejects for itself.
   */
  refuse?: (entry: PutEventsEntry) => string | undefined;
  /** Answers the whole request with this error instead (an outage's 503 ServiceUnavailable). */
  failRequest?: () => RequestFailure | undefined;
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
/** Entries over MAX_BYTES are EventBridge's ValidationException; a request far over it is refused unread. */
const MAX_REQUEST_BYTES = 1024 * 1024;

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
    const failure = options.failRequest?.();
    if (failure) {
      calls.push({ entries, failedEntryCount: entries.length, requestError: failure.type });
      return { status: failure.status, body: { __type: failure.type, message: failure.message } };
    }
    const results = entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail) {
        return { ErrorCode: "InvalidArgument", ErrorMessage: "Source, DetailType and Detail are required." };
      }
      if (!isJsonObject(entry.Detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
      const refusal = options.refuse?.(entry);
      if (refusal) return { ErrorCode: refusal, ErrorMessage: `Refused with ${refusal} on purpose by the local EventBridge.` };
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
    const raw = await readText(request, MAX_REQUEST_BYTES);
    if (request.method !== "POST" || target !== "AWSEvents.PutEvents") {
      throw new RequestError(400, `Unsupported operation ${String(target)}`, "UnknownOperationException");
    }
    const result = putEvents(putEventsRequest(parseJson(raw || "{}")));
    send(response, result.status, result.body);
  }

  const server = await listen(handle, options.port ?? 0, "EventBridge endpoint", {
    refuseBrowsers: true,
    maxBodyBytes: MAX_REQUEST_BYTES,
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, port, calls: () => [...calls], stop: () => close(server) };
}

const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "string");

/**
 * The request as the SDK serializes it, or a RequestError 400 (SerializationException) for a body
 * of the wrong shape: members of the wrong type never reach the bus.
 */
function putEventsRequest(body: unknown): { Entries?: PutEventsEntry[] } {
  const wrong = (what: string) => new RequestError(400, `Request body is not a PutEvents request: ${what}`);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw wrong("not a JSON object");
  const entries: unknown = (body as { Entries?: unknown }).Entries;
  if (entries === undefined) return {};
  if (!Array.isArray(entries)) throw wrong("Entries is not a list");
  for (const entry of entries as unknown[]) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw wrong("an entry is not an object");
    const fields = entry as Record<string, unknown>;
    for (const name of ["Source", "DetailType", "Detail", "EventBusName"]) {
      if (fields[name] !== undefined && typeof fields[name] !== "string") throw wrong(`${name} is not a string`);
    }
    if (fields.Resources !== undefined && !isStringList(fields.Resources)) throw wrong("Resources is not a list of strings");
    if (fields.Time !== undefined && typeof fields.Time !== "number") throw wrong("Time is not a number");
  }
  return { Entries: entries as PutEventsEntry[] };
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
