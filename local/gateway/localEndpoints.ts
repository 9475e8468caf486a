import type { MemoryMailbox } from "../../src/adapters/mailer/memoryMailbox.js";

/** What `GET /_local/config` tells the web page and the tests. */
export interface LocalConfig {
  apiUrl: string;
  cognitoEndpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
}

/** The stack's state the local-only endpoints expose; never deployed. */
export interface LocalInspection {
  config(): LocalConfig;
  mailbox: MemoryMailbox;
  /** Events as an EventBridge target receives them, oldest first. */
  events(): readonly unknown[];
  /** What the bus dead-lettered after its retries, oldest first. */
  dlq(): readonly unknown[];
}

export interface LocalResponse {
  statusCode: number;
  body: unknown;
}

/** `GET /_local/...`: health, config, mailbox, events and dead letters; undefined for other paths. */
export function localEndpoint(method: string, url: URL, local: LocalInspection): LocalResponse | undefined {
  if (!url.pathname.startsWith("/_local/")) return undefined;
  if (method !== "GET") return undefined;
  switch (url.pathname) {
    case "/_local/health":
      return { statusCode: 200, body: { status: "ok" } };
    case "/_local/config":
      return { statusCode: 200, body: local.config() };
    case "/_local/mailbox": {
      const to = url.searchParams.get("to");
      const stored = to ? local.mailbox.to(to) : local.mailbox.all();
      const messages = stored.map(({ to: address, subject, code, sentAt }) => ({ to: address, subject, code, sentAt }));
      return { statusCode: 200, body: { messages } };
    }
    case "/_local/events":
      return { statusCode: 200, body: { events: local.events() } };
    case "/_local/dlq":
      return { statusCode: 200, body: { messages: local.dlq() } };
    default:
      return undefined;
  }
}
