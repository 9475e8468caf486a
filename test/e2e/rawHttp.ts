import { connect } from "node:net";

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes bytes to 127.0.0.1:port exactly as given (so malformed requests stay malformed) and reads
 * what comes back until the server closes, the whole reply arrived, or `waitMs` passed. Null when
 * the server closed without answering.
 */
export function rawHttp(
  port: number | string,
  request: string | Buffer,
  options: { halfClose?: boolean; waitMs?: number; then?: (write: (data: string | Buffer) => boolean) => void } = {},
): Promise<RawReply | null> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), "127.0.0.1");
    let received = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(received));
    };
    const timer = setTimeout(finish, options.waitMs ?? 5000);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (complete(received)) finish();
    });
    socket.on("close", finish);
    // The server may close while we still write (a body over its limit): that is an answer, not a failure.
    socket.on("error", () => undefined);
    socket.write(request, () => {
      options.then?.((data) => socket.write(data));
      if (options.halfClose) socket.end();
    });
  });
}

function split(data: Buffer): { head: string; body: Buffer } | null {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return null;
  return { head: data.subarray(0, end).toString("latin1"), body: data.subarray(end + 4) };
}

function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

const isChunked = (headers: Record<string, string>) => /chunked/i.test(headers["transfer-encoding"] ?? "");

function complete(data: Buffer): boolean {
  const parts = split(data);
  if (!parts) return false;
  const headers = headersOf(parts.head);
  if (isChunked(headers)) return parts.body.includes("0\r\n\r\n");
  const length = Number(headers["content-length"]);
  return Number.isInteger(length) && parts.body.length >= length;
}

/** A chunked body's data, chunk sizes and trailers removed. */
function dechunk(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) break;
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

function parse(data: Buffer): RawReply | null {
  const parts = split(data);
  if (!parts) return null;
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(parts.head)?.[1]);
  if (!status) return null;
  const headers = headersOf(parts.head);
  return { status, headers, body: (isChunked(headers) ? dechunk(parts.body) : parts.body).toString("utf8") };
}

/**
 * A well-formed request line and headers, `Connection: close` unless `headers` says otherwise, so
 * the server ends the exchange.
 */
export function requestHead(method: string, path: string, host: string, headers: Record<string, string | number> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries({ Connection: "close", ...headers })) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** A whole request with a body, Content-Length set. */
export function requestWithBody(method: string, path: string, host: string, body: string, headers: Record<string, string> = {}): string {
  return requestHead(method, path, host, { ...headers, "Content-Length": Buffer.byteLength(body) }) + body;
}
