import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";

/** A port someone else holds; start.ts prints its message as one line, without a stack. */
export class PortInUseError extends Error {
  constructor(
    readonly service: string,
    readonly port: number,
  ) {
    super(`${service}: port ${port} on 127.0.0.1 is already in use. Stop what holds it or choose another port.`);
  }
}

/** An HTTP server on 127.0.0.1 that closes its idle keep-alive sockets when closed. */
export function listen(handler: RequestListener, port: number, service: string): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(service, port) : error);
    });
    server.listen(port, "127.0.0.1", () => resolve(server));
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

/** A request's whole body as UTF-8 text. */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
