import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startSesServer } from "../../../local/ses/sesServer.js";
import { claimsOf, signUpUser, type TestUser } from "../../../test/support/fixtures.js";
import { invoke } from "../../../test/support/apiEvent.js";
import { createTestServices, type TestServices } from "../../../test/support/testServices.js";
import { handler as addEmail } from "../../handlers/http/addEmail.js";
import { handler as sendVerification } from "../../handlers/http/sendVerification.js";
import { logger, metrics } from "../../observability.js";
import { createSesMailer } from "./sesMailer.js";
import { MAIL_SEND_FAILED } from "./mailSendFailed.js";

// SES down: a local SES server started, then stopped, so its port refuses every connection.
let stoppedEndpoint: string;
beforeAll(async () => {
  const ses = await startSesServer();
  stoppedEndpoint = ses.endpoint;
  await ses.stop();
});

let services: TestServices;
let alice: TestUser;
/** The EMF documents the handlers flush (the suites run with metrics printing off: read where they are made). */
let emf: Record<string, unknown>[];
let errorLines: unknown[][];
beforeEach(async () => {
  const mailer = createSesMailer({ region: "us-east-1", mailFrom: "no-reply@example.com", sesEndpoint: stoppedEndpoint });
  services = await createTestServices({ mailer });
  alice = await signUpUser(services);
  emf = [];
  const publish = metrics.publishStoredMetrics.bind(metrics);
  vi.spyOn(metrics, "publishStoredMetrics").mockImplementation(() => {
    if (metrics.hasStoredMetrics()) emf.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    return publish();
  });
  const error = vi.spyOn(logger, "error");
  errorLines = error.mock.calls as unknown[][];
});
afterEach(() => vi.restoreAllMocks());

/** The sum of one metric's values across the flushed documents, and the namespace it went to. */
function metric(name: string): { sum: number; namespaces: string[] } {
  const docs = emf.filter((doc) => name in doc);
  const values = docs.flatMap((doc) => [doc[name]].flat() as number[]);
  const namespaces = docs.flatMap((doc) => (doc._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics.map((m) => m.Namespace));
  return { sum: values.reduce((a, b) => a + b, 0), namespaces };
}

const add = (address: string) =>
  invoke(addEmail, { method: "POST", path: "/users/me/emails", body: { email: address }, claims: claimsOf(alice, services) });

describe("a mail SES does not take is counted (MailSendFailed), logged without the address, and answered as before", () => {
  it("adding an address: 201 with the record (the user can ask for another code); the code and the notice both count", async () => {
    const response = await add("second@example.com");

    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({ email: "second@example.com", isVerified: false });
    expect(metric(MAIL_SEND_FAILED)).toEqual({ sum: 2, namespaces: ["UserService"] });
    expect(metric("NoticeMailFailed").sum).toBe(1);
    const failures = errorLines.filter(([message]) => message === "Mail send failed");
    expect(failures.map(([, attributes]) => (attributes as { kind: string }).kind).sort()).toEqual(["notice", "verification"]);
    const logged = JSON.stringify(errorLines);
    expect(logged).not.toContain("second@example.com");
    expect(logged).not.toContain(alice.email);
    expect(logged).not.toMatch(/verification code is/i);
  });

  it("asking for a new code: 500 in the service's error body (no code reached the user), counted once", async () => {
    const added = await add("third@example.com");
    emf.length = 0;
    const emailId = (added.body as { emailId: string }).emailId;

    const response = await invoke(sendVerification, {
      method: "POST",
      path: `/users/me/emails/${emailId}/verify`,
      resource: "/users/me/emails/{emailId}/verify",
      pathParameters: { emailId },
      body: {},
      claims: claimsOf(alice, services),
    });

    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({ statusCode: 500, error: "Internal Server Error", message: "Internal server error", requestId: expect.any(String) });
    expect(metric(MAIL_SEND_FAILED).sum).toBe(1);
    expect(JSON.stringify(errorLines)).not.toContain("third@example.com");
  });
});
