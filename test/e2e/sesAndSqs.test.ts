import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import type { StoredEmail } from "../../local/ses/sesServer.js";
import type { Delivery } from "../../local/sqs/sqsEventSource.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { api, deployed, eventually, getJson, localConfig, mailbox, registerUser, uniqueEmail } from "./stack.js";

/** The stack's own e2e setup turns the fault switch on; a stack given by API_URL needs LOCAL_FAULTS=1. */
const faultsOn = !process.env.API_URL || process.env.LOCAL_FAULTS === "1";

describe.skipIf(deployed)("mail over SESv2: the local SES server holds what the mailbox lists", () => {
  it("a verification code sent by the API and a sign-up code sent by Cognito both reach aws-ses-v2-local", async () => {
    const user = await registerUser();
    const added = uniqueEmail("ses");
    const response = await api<{ emailId: string }>("POST", "/users/me/emails", { token: user.accessToken, body: { email: added } });
    expect(response.status).toBe(201);

    const { sesEndpoint } = await localConfig();
    const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
    const to = (address: string) => emails.filter((mail) => mail.destination.to.includes(address));
    const [signUpCode] = await mailbox(user.email);
    const [verification] = await mailbox(added);
    // Cognito's sign-up code (the primary may also get notices, e.g. of the added address).
    const signUpMails = to(user.email).filter((m) => m.subject === "Your verification code");
    expect(signUpMails).toHaveLength(1);
    expect(signUpMails[0]?.body.text).toContain(signUpCode?.code);
    expect(to(added).map((m) => m.subject)).toEqual(["Verify your email address"]);
    expect(to(added)[0]?.body.text).toContain(verification?.code);
    expect(verification).toMatchObject({ to: added, code: expect.stringMatching(/^\d{6}$/), link: null, sentAt: expect.any(String) });
  });
});

describe.skipIf(deployed || !faultsOn)("sign-up fallback over SQS: PostConfirmation fails -> retry queue -> processor -> profile", () => {
  it("a confirmation whose profile write fails still ends with the profile, written by the retry processor from the queue", async () => {
    // The fault switch refuses this address's profile write while PostConfirmation runs (local/dynamodb/dynamoFaults.ts).
    const email = uniqueEmail("fail-postconfirmation");
    const user = await registerUser(email);

    const me = await eventually(async () => {
      const response = await api<{ userId: string; email: string; status: string }>("GET", "/users/me", { token: user.accessToken });
      return response.status === 200 ? response : undefined;
    }, 20_000);
    expect(me.body).toMatchObject({ userId: user.userId, email, status: "active" });

    // The job went through the queue: the event source mapping handed it to the processor, which succeeded.
    const { deliveries } = await getJson<{ deliveries: Delivery[] }>("/_local/queues");
    const jobs = deliveries.filter((d) => (JSON.parse(d.body) as { userId: string }).userId === user.userId);
    expect(jobs).toEqual([expect.objectContaining({ queue: "local-user-service-signup-retry", outcome: "deleted", receiveCount: 1 })]);
    expect(JSON.parse(jobs[0]?.body ?? "{}")).toMatchObject({ userId: user.userId, email, correlationId: expect.any(String) });

    // Deleted from the queue, not merely hidden: nothing is left to receive.
    const { sqsEndpoint, region } = await localConfig();
    const client = new SQSClient({ region, ...localEndpoint(sqsEndpoint) });
    try {
      const queueUrl = `${sqsEndpoint}/000000000000/local-user-service-signup-retry`;
      const left = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      expect((left.Messages ?? []).filter((m) => m.Body?.includes(user.userId))).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
