import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isLocalHost } from "./localHost.js";

/** A port someone else holds; start.ts prints its message as one line, without a stack. */
export class PortInUseError extends Error {
  constructor(
    readonly service: string,
    readonly port: number,
  ) {
    super(`${service}: port ${port} on 127.0.0.1 is already in use. Stop what holds it or choose another port.`);
  }
}

/**
 * A request the client got wrong; the server answers it with `status` (a 4xx) in its own error
 * shape, naming the error `code` where its protocol has names (AWS JSON's `__type`).
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A server's error answer in its own protocol: the service's error body, Lambda's, AWS JSON's. */
export interface ErrorReply {
  headers: Record<string, string>;
  body: string;
}
export type ErrorFormat = (status: number, message: string, code?: string) => ErrorReply;

/** AWS JSON 1.1's error shape, as the SDKs parse it: `{__type, message}`. */
const AWS_JSON_ERROR_TYPES: Record<number, string> = {
  400: "SerializationException",
  403: "AccessDeniedException",
  404: "UnknownOperationException",
  408: "RequestTimeoutException",
  413: "RequestEntityTooLargeException",
  431: "RequestHeaderFieldsTooLargeException",
};
export const awsJsonError: ErrorFormat = (status, message, code) => ({
  headers: { "Content-Type": "application/x-amz-json-1.1" },
  body: JSON.stringify({ __type: code ?? AWS_JSON_ERROR_TYPES[status] ?? "InternalFailure", message }),
});

export interface ListenOptions {
  /** How this server words its errors; AWS JSON 1.1 when unset. */
  errorFormat?: ErrorFormat;
  /**
   * Refuse any request carrying Origin (403): only SDKs call this server, and a browser always
   * sends Origin on a cross-site POST, so a page cannot make the server act (CSRF).
   */
  refuseBrowsers?: boolean;
  /** Over this many bytes (by Content-Length) a request is 413 before any handler reads it. */
  maxBodyBytes?: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Answers with a server's error (see ErrorFormat); a response already under way is cut off instead. */
export function sendError(res: ServerResponse, status: number, error: ErrorReply) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A refused request may still be sending its body: Node reads and drops the rest after the
  // answer (closing instead would reset the connection, and the client could lose the answer).
  res.writeHead(status, { ...error.headers, "Content-Length": Buffer.byteLength(error.body) });
  res.end(error.body);
}

/**
 * An HTTP server on 127.0.0.1 that closes its idle keep-alive sockets when closed, and that
 * outside traffic cannot crash or read: a Host other than this machine's is 403 (DNS rebinding),
 * a request Node cannot parse is a 4xx, a RequestError thrown by the handler is its status, any
 * other failure a 500, all in the server's own error shape; the process keeps running.
 */
export function listen(handler: Handler, port: number, service: string, options: ListenOptions = {}): Promise<Server> {
  const server = createServer();
  guard(server, handler, service, options);
  return new Promise((resolve, reject) => {
    const starting = (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(service, port) : error);
    };
    server.once("error", starting);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", starting);
      failLoudly(server, service);
      resolve(server);
    });
  });
}

/**
 * A listening server that fails (e.g. cannot accept) leaves the stack half-working: thrown as an
 * uncaught exception naming the part, which stops the whole stack (start.ts).
 */
export function failLoudly(server: Server, service: string): void {
  server.on("error", (error) => {
    throw new Error(`${service} failed: ${error.message}`, { cause: error });
  });
}

/**
 * Puts `handler` behind listen's rules on a server (see listen): the Host check, browsers refused
 * when asked, the size cap, RequestError statuses, and unparsable HTTP answered in the server's
 * shape. For servers a package creates and starts itself (aws-ses-v2-local): whatever request
 * listener the server had is replaced, so pass it in as `handler`.
 */
export function guard(server: Server, handler: Handler, service: string, options: ListenOptions = {}): void {
  const format = options.errorFormat ?? awsJsonError;
  server.removeAllListeners("request");
  server.removeAllListeners("clientError");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const ownPort = (server.address() as AddressInfo).port;
    if (!isLocalHost(req.headers.host, ownPort)) {
      sendError(res, 403, format(403, `Host ${JSON.stringify(req.headers.host ?? "")} is not this machine: only localhost, 127.0.0.1 and [::1] are answered`));
      return;
    }
    if (options.refuseBrowsers && req.headers.origin !== undefined) {
      sendError(res, 403, format(403, `${service} answers SDKs only, not pages in a browser`));
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (options.maxBodyBytes !== undefined && declared > options.maxBodyBytes) {
      sendError(res, 413, format(413, `Request body over ${options.maxBodyBytes} bytes`));
      return;
    }
    const failed = (error: unknown) => {
      if (error instanceof RequestError) return sendError(res, error.status, format(error.status, error.message, error.code));
      process.stderr.write(`${service}: ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      sendError(res, 500, format(500, "Internal error"));
    };
    try {
      void Promise.resolve(handler(req, res)).catch(failed);
    } catch (error) {
      failed(error);
    }
  });
  // What Node's parser refuses (not HTTP, unknown method, headers too large, timeouts) never
  // reaches the handler; answer it in the server's shape instead of Node's bare status line.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const answer = format(status, status === 400 ? "Malformed HTTP request" : (STATUS_CODES[status] ?? "Bad request"));
    const headers = Object.entries({ ...answer.headers, "Content-Length": String(Buffer.byteLength(answer.body)), Connection: "close" });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join("\r\n")}\r\n\r\n${answer.body}`);
  });
}

/** Closes a server started by listen, dropping keep-alive connections instead of waiting on them. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Fails with PortInUseError naming the first service whose port is taken on 127.0.0.1. */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [service, port] of Object.entries(ports)) {
    const server = await listen(() => undefined, port, service);
    await close(server);
  }
}

/**
 * A request's whole body, at most `maxBytes`: over it a RequestError 413 as soon as it is known
 * (the rest is read and dropped, never kept); a body the client cut off is a RequestError 400.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (Number(req.headers["content-length"]) > maxBytes) {
    req.resume();
    return Promise.reject(new RequestError(413, `Request body over ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      req.resume();
      reject(new RequestError(413, `Request body over ${maxBytes} bytes`));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onClose = () => {
      stop();
      reject(new RequestError(400, "Request body cut off before its end"));
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("close", onClose);
  });
}

/** A request's whole body as UTF-8 text, at most `maxBytes` (see readBody). */
export async function readText(req: IncomingMessage, maxBytes: number): Promise<string> {
  return (await readBody(req, maxBytes)).toString("utf8");
}

/** A JSON body, or a RequestError 400 saying it is not JSON. */
export function parseJson(text: string, message = "Request body is not JSON"): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError(400, message);
  }
}
