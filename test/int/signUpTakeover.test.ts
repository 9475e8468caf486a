import { randomUUID } from "node:crypto";
import type { Context, ScheduledEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setServices } from "../../src/composition/services.js";
import { handler as reconcileUsers } from "../../src/handlers/jobs/reconcileUsers.js";
import { handler as signUpRetryProcessor } from "../../src/handlers/jobs/signUpRetryProcessor.js";
import { markSignUpPending, SIGN_UP_GRACE_MS } from "../../src/usecases/markSignUpPending.js";
import { lambdaContext } from "../support/apiEvent.js";
import { startTestCognito, type TestCognito } from "../support/cognito.js";
import { addedEmail, signUpUser } from "../support/fixtures.js";
import { createTestServices, type TestServices } from "../support/testServices.js";

/**
 * A confirmed sign-up takes over another account's unverified claim on its address (SPEC 11.4)
 * whichever path writes it: here the retry processor and the reconciliation job, through their
 * handlers (their transaction's Update and Delete items are their own calls: test/iam/).
 */
const PASSWORD = "Correct-Horse-1";

describe("a sign-up written by the retry processor or the reconciliation job", () => {
  let cognito: TestCognito;
  let services: TestServices;
  let squatter: { userId: string };
  beforeAll(async () => {
    cognito = await startTestCognito();
  });
  afterAll(() => cognito?.stop());
  beforeEach(async () => {
    services = await createTestServices({}, { cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId });
    setServices(services);
    squatter = await signUpUser(services);
  });

  /** The address, claimed unverified by the squatter, then confirmed in the pool by its owner. */
  const contested = async () => {
    const email = `taken-${randomUUID()}@example.com`;
    await addedEmail(services, squatter, email);
    return { email, userId: await cognito.createConfirmedUser(email, PASSWORD) };
  };
  const expectTakenOver = async (owner: { userId: string; email: string }) => {
    expect((await services.profiles.claimOf(owner.email))?.userId).toBe(owner.userId);
    expect((await services.emails.list(squatter.userId)).map((e) => e.email)).not.toContain(owner.email);
  };

  it("from the retry queue, takes the address over", async () => {
    const owner = await contested();
    const record = {
      messageId: randomUUID(),
      body: JSON.stringify({ userId: owner.userId, email: owner.email, correlationId: "takeover-retry" }),
    } as SQSRecord;
    const result = await signUpRetryProcessor({ Records: [record] }, lambdaContext("signUpRetryProcessor"));
    expect(result.batchItemFailures).toEqual([]);
    await expectTakenOver(owner);
  });

  it("from the reconciliation, takes the address over", async () => {
    const owner = await contested();
    // PreSignUp's pending marker, looked at once its grace period has passed (SPEC 14.2).
    await markSignUpPending(services)({ username: owner.userId });
    const due = new Date(Date.now() + SIGN_UP_GRACE_MS + 60_000);
    setServices(
      await createTestServices(
        { clock: { now: () => due } },
        { tableName: services.config.tableName, cognitoEndpoint: cognito.endpoint, userPoolId: cognito.userPoolId },
      ),
    );
    const report = await reconcileUsers({ id: "takeover-reconcile" } as ScheduledEvent, { awsRequestId: "r" } as Context);
    expect(report.created).toBeGreaterThanOrEqual(1);
    await expectTakenOver(owner);
  });
});
