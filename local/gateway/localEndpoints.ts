import type { MailboxMessage } from "../ses/sesServer.js";

/** What `GET /_local/config` tells the web page and the tests. */
export interface LocalConfig {
  apiUrl: string;
  cognitoEndpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** The local SESv2 server (its mail viewer at `/`) and SQS server the handlers use. */
  sesEndpoint: string;
  sqsEndpoint: string;
}

/** The stack's state the local-only endpoints expose; never deployed. */
export interface LocalInspection {
  config(): LocalConfig;
  /** Every mail the local SES server holds, oldest first. */
  mailbox(): Promise<MailboxMessage[]>;
  /** Events as an EventBridge target receives them, oldest first. */
  events(): readonly unknown[];
  /** The events DLQ and the relay-failures queue on the local SQS server, oldest first. */
  dlq(): Promise<readonly unknown[]>;
  /** The queues' state and what the sign-up retry processor did with their messages. */
  queues(): Promise<unknown>;
}

export interface LocalResponse {
  statusCode: number;
  body: unknown;
}

/** `GET /_local/...`: health, config, mailbox, events, dead letters and queues; undefined for other paths. */
export async function localEndpoint(method: string, url: URL, local: LocalInspection): Promise<LocalResponse | undefined> {
  if (!url.pathname.startsWith("/_local/")) return undefined;
  if (method !== "GET") return undefined;
  switch (url.pathname) {
    case "/_local/health":
      return { statusCode: 200, body: { status: "ok" } };
    case "/_local/config":
      return { statusCode: 200, body: local.config() };
    case "/_local/mailbox": {
      const to = url.searchParams.get("to")?.trim().toLowerCase();
      const messages = (await local.mailbox()).filter((m) => !to || m.to === to);
      return { statusCode: 200, body: { messages } };
    }
    case "/_local/events":
      return { statusCode: 200, body: { events: local.events() } };
    case "/_local/dlq":
      return { statusCode: 200, body: { messages: await local.dlq() } };
    case "/_local/queues":
      return { statusCode: 200, body: await local.queues() };
    default:
      return undefined;
  }
}
