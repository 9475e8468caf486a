import { randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { EventType } from "../../src/domain/events.js";
import { eventDetailSchemas } from "../../src/domain/eventSchemas.js";
import { epochSeconds, type Clock } from "../../src/ports/clock.js";
import { addEmail } from "../../src/usecases/addEmail.js";
import { confirmVerification } from "../../src/usecases/confirmVerification.js";
import type { Services } from "../../src/ports/services.js";
import { createUserFromSignUp } from "../../src/usecases/createUserFromSignUp.js";
import { api } from "./apiClient.js";
import { outboxEvents as allOutboxEvents } from "./outbox.js";
import { createTestServices, type TestServices } from "./testServices.js";

/*
 * The one fixtures module of the tests: users, the hand-moved clock, the caller's claims, addresses
 * and their codes, the email routes, and what the table holds. Everything is made through the real
 * use cases and routes.
 */

/** A clock tests move by hand: codes expire and claims are released without waiting. */
export class ManualClock implements Clock {
  constructor(private current = new Date("2030-01-01T00:00:00.000Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export interface TestUser {
  userId: string;
  email: string;
  primaryEmailId: string;
}

/**
 * A confirmed user, written by the same use case the PostConfirmation trigger runs: profile,
 * verified primary address and its claim. The id is a fresh UUID, as Cognito's subs are.
 */
export async function signUpUser(
  services: Pick<Services, "profiles" | "emails" | "config" | "clock" | "ids">,
  email = `user-${randomUUID()}@example.com`,
): Promise<TestUser> {
  const userId = randomUUID();
  await createUserFromSignUp(services)({ userId, email, correlationId: `signup-${userId}` });
  const [primary] = await services.emails.list(userId);
  if (!primary) throw new Error("sign-up wrote no email");
  return { userId, email: primary.email, primaryEmailId: primary.emailId };
}

/** A fresh table on a hand-moved clock, with one signed-up user: the email tests' starting point. */
export async function emailTestBed(start?: Date): Promise<{ services: TestServices; clock: ManualClock; alice: TestUser }> {
  const clock = new ManualClock(start);
  const services = await createTestServices({ clock });
  return { services, clock, alice: await signUpUser(services) };
}

/** Claims as the Cognito authorizer passes them; auth_time defaults to the service clock's now. */
export function claimsOf(user: Pick<TestUser, "userId">, services: TestServices, authTime?: number) {
  return {
    sub: user.userId,
    auth_time: authTime ?? epochSeconds(services.clock.now()),
  };
}

/**
 * The email routes as a signed-in user calls them (auth_time from the service clock), through the
 * one API client. A body is sent as given: tests of validation pass what they like.
 */
export function emailRoutes(services: TestServices) {
  const as = (user: Pick<TestUser, "userId">, authTime?: number) => claimsOf(user, services, authTime);
  const withBody = (body: unknown) => (body !== undefined ? { body: body as object } : {});
  return {
    add: (user: Pick<TestUser, "userId">, body: unknown) => api("POST /users/me/emails", { as: as(user), ...withBody(body) }),
    send: (user: Pick<TestUser, "userId">, emailId: string, body?: unknown) =>
      api("POST /users/me/emails/{emailId}/verify", { params: { emailId }, as: as(user), ...withBody(body) }),
    confirm: (user: Pick<TestUser, "userId">, emailId: string, body: unknown) =>
      api("POST /users/me/emails/{emailId}/verify/confirm", { params: { emailId }, as: as(user), ...withBody(body) }),
    list: <T = Record<string, unknown>>(user: Pick<TestUser, "userId">) => api<T>("GET /users/me/emails", { as: as(user) }),
    remove: (user: Pick<TestUser, "userId">, emailId: string) => api("DELETE /users/me/emails/{emailId}", { params: { emailId }, as: as(user) }),
    /** `authTime`: when the caller signed in (epoch seconds); the service clock's now by default. */
    makePrimary: (user: Pick<TestUser, "userId">, emailId: string, authTime?: number) =>
      api("PUT /users/me/emails/{emailId}/primary", { params: { emailId }, as: as(user, authTime) }),
  };
}

/** Every item in the test's table. */
export async function scanTable(services: TestServices): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await services.db.send(
      new ScanCommand({ TableName: services.config.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface StoredEvent {
  detailType: EventType;
  detail: Record<string, unknown>;
}

/**
 * The events of changes after sign-up in the table's outbox (user.created left out), each checked
 * against its zod detail schema (a malformed event fails the test here). ./outbox.ts reads them all.
 */
export async function changeEvents(services: TestServices): Promise<StoredEvent[]> {
  return (await allOutboxEvents(services))
    .filter((event) => event.detailType !== "user.created")
    .map((event) => {
      const detailType = event.detailType as EventType;
      return { detailType, detail: eventDetailSchemas[detailType].parse(event.detail) as Record<string, unknown> };
    });
}

/** Adds an address through the real use case; returns its record and the mailed code. */
export async function addedEmail(services: TestServices, user: Pick<TestUser, "userId">, address: string) {
  const { email } = await addEmail(services)({ userId: user.userId, email: address, correlationId: "test-add" });
  return { record: email, code: latestCode(services, address) };
}

/** Adds and verifies an address through the real use cases. */
export async function verifiedEmail(services: TestServices, user: Pick<TestUser, "userId">, address: string) {
  const { record, code } = await addedEmail(services, user, address);
  return confirmVerification(services)({ userId: user.userId, emailId: record.emailId, code, correlationId: "test-confirm" });
}

/** The newest code mailed to an address. */
export function latestCode(services: TestServices, address: string): string {
  const code = services.mailbox.to(address).at(-1)?.code;
  if (!code) throw new Error(`no code mailed to ${address}`);
  return code;
}
