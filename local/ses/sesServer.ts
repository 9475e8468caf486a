import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Email } from "aws-ses-v2-local/dist/store.js";
import { close, failLoudly, guard, parseJson, readText, RequestError, type ErrorFormat, type Handler } from "../server/listen.js";

const requireCjs = createRequire(import.meta.url);
type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;
/** aws-ses-v2-local is CommonJS with its server as `default`, its mail store a module of its own. */
const startAwsSesV2Local = (requireCjs("aws-ses-v2-local") as { default: StartSes }).default;
const sesStore = requireCjs("aws-ses-v2-local/dist/store.js") as { getStoreReadonly(): { emails: readonly Email[] } };

export type { Email as StoredEmail };

/** One message as `GET /_local/mailbox` lists it: per recipient, newest last. */
export interface MailboxMessage {
  to: string;
  subject: string;
  /** The verification code the body carries; null for notices. */
  code: string | null;
  /** The restore or revert link a notice carries, else null. */
  link: string | null;
  sentAt: string;
}

export interface LocalSes {
  /** The SESv2 endpoint the SDK is pointed at; its mail viewer is at `/`. */
  endpoint: string;
  port: number;
  /** Every mail the server holds, read over its own API (`GET /store`), oldest first. */
  messages(): Promise<MailboxMessage[]>;
  stop(): Promise<void>;
}

/** Our mails and Cognito's say "Your verification code is 123456." (src/usecases/mailMessages.ts, local/cognito). */
const CODE = /\bverification code is ([A-Za-z0-9]+)/;
const LINK = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:)]/;
const ANGLE_ADDRESS = /<([^>]+)>\s*$/;

/** The mailbox's view of stored mails: one message per To address, code and link read from the text. */
export function mailboxMessagesOf(emails: readonly Email[]): MailboxMessage[] {
  return emails.flatMap((mail) => {
    const text = mail.body.text ?? mail.body.html ?? "";
    return mail.destination.to.map((to) => ({
      to: (ANGLE_ADDRESS.exec(to)?.[1] ?? to).trim().toLowerCase(),
      subject: mail.subject,
      code: CODE.exec(text)?.[1] ?? null,
      link: LINK.exec(text)?.[0] ?? null,
      sentAt: new Date(mail.at * 1000).toISOString(),
    }));
  });
}

/** The mails this process's aws-ses-v2-local holds, read in place (tests that started it here). */
export function storedEmails(): readonly Email[] {
  return sesStore.getStoreReadonly().emails;
}

/** SESv2 (REST JSON) words errors as x-amzn-ErrorType plus `{message}`. */
const sesError: ErrorFormat = (status, message, code) => ({
  headers: { "Content-Type": "application/json", "x-amzn-ErrorType": code ?? (status === 404 ? "NotFoundException" : status >= 500 ? "InternalFailure" : "BadRequestException") },
  body: JSON.stringify({ message }),
});

/** What aws-ses-v2-local serves: SESv2's API, its viewer and its store API. */
const SERVED = [/^POST \/v2\/email\/.+$/, /^(GET|PUT|DELETE) \/v2\/email\/.+$/, /^GET \/$/, /^GET \/(store|health-check|get-emlContent)$/, /^POST \/clear-store$/];

/** SESv2's own cap on a message is 40 MB; ours are a few hundred bytes. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * aws-ses-v2-local (the npm package, unchanged) on 127.0.0.1: the SESv2 API the SDK sends to, its
 * mail viewer at `/` and its store at `GET /store`. Its own request listener is put behind listen's
 * rules (Host, size, unparsable HTTP), and the requests it would mishandle are answered here first:
 * SES v1's `POST /` (it leaves an unknown Action hanging; the service sends only SESv2), a bad
 * `since` or unknown `messageId` (it answers twice, or rejects a promise nobody handles), and any
 * request from a page of another origin (its `/clear-store` takes a bare POST).
 */
export async function startSesServer(options: { port?: number } = {}): Promise<LocalSes> {
  // Mails stay on this machine: the package forwards to SMTP when this is set.
  delete process.env.SMTP_TRANSPORT;
  const server = await startAwsSesV2Local({ host: "127.0.0.1", port: options.port ?? 0 });
  if (!server.listening) throw new Error(`SES endpoint: could not listen on 127.0.0.1:${options.port ?? 0}`);
  const app = server.listeners("request")[0] as Handler | undefined;
  if (!app) throw new Error("aws-ses-v2-local started without a request listener");
  guard(
    server,
    async (req, res) => {
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://localhost");
      } catch {
        throw new RequestError(400, "Malformed request URL");
      }
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host ?? ""}`) {
        throw new RequestError(403, "The SES endpoint answers SDKs and its own mail viewer only, not other pages", "AccessDeniedException");
      }
      const route = `${req.method ?? ""} ${url.pathname}`;
      if (route === "POST /") throw new RequestError(400, "SES v1 (the Query protocol) is not served here: the service sends through SESv2");
      if (!SERVED.some((served) => served.test(route))) throw new RequestError(404, `No such operation: ${route}`, "NotFoundException");
      const since = url.searchParams.get("since");
      if (url.pathname === "/store" && since !== null && !/^\d{1,15}$/.test(since)) {
        throw new RequestError(400, "since must be an epoch time in seconds");
      }
      if (url.pathname === "/get-emlContent") {
        const id = url.searchParams.get("messageId");
        if (!id || !storedEmails().some((mail) => mail.messageId === id)) throw new RequestError(404, "No mail with that messageId", "NotFoundException");
      }
      if (req.method !== "GET") {
        // The body is read (and JSON checked) here: a request whose body is read already is one
        // express's parsers skip, so bad JSON is our 400 rather than its HTML error page.
        const text = await readText(req, MAX_BODY_BYTES);
        const json = /^application\/json\b/i.test(req.headers["content-type"] ?? "");
        (req as typeof req & { body?: unknown }).body = json && text ? parseJson(text, "Request body is not JSON") : {};
      }
      return app(req, res);
    },
    "SES endpoint",
    { errorFormat: sesError, maxBodyBytes: MAX_BODY_BYTES },
  );
  failLoudly(server, "SES endpoint");
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    async messages() {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new Error(`SES endpoint: GET /store answered ${response.status}`);
      return mailboxMessagesOf(((await response.json()) as { emails: Email[] }).emails);
    },
    stop: () => close(server),
  };
}
