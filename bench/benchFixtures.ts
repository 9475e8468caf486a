import { randomUUID } from "node:crypto";
import type { MemoryMailbox } from "../src/adapters/mailer/memoryMailbox.js";
import type { Services } from "../src/ports/services.js";
import { addEmail } from "../src/usecases/addEmail.js";
import { confirmVerification } from "../src/usecases/confirmVerification.js";
import { createUserFromSignUp } from "../src/usecases/createUserFromSignUp.js";
import { userActor } from "../src/domain/activity.js";
import { deleteAccount } from "../src/usecases/deleteAccount.js";
import { updateProfile } from "../src/usecases/updateProfile.js";

export interface BenchUser {
  userId: string;
  email: string;
  primaryEmailId: string;
}

export interface BenchEmail {
  user: BenchUser;
  emailId: string;
  code: string;
}

/** Extra addresses per account: the primary plus four stays within MAX_EMAILS_PER_USER. */
const ADDRESSES_PER_USER = 4;
/** Setup writes run this many at a time: DynamoDB Local is the bottleneck, not the client. */
const SETUP_CONCURRENCY = 8;

/** State for the routes, written by the real use cases (the same ones the triggers and routes run). */
export function benchFixtures(services: Services, mailbox: MemoryMailbox) {
  const signUp = async (): Promise<BenchUser> => {
    const userId = randomUUID();
    const email = `bench-${userId}@example.com`;
    await createUserFromSignUp(services)({ userId, email, correlationId: "bench-setup" });
    const [primary] = await services.emails.list(userId);
    if (!primary) throw new Error("sign-up wrote no email");
    return { userId, email, primaryEmailId: primary.emailId };
  };

  const addUnverified = async (user: BenchUser): Promise<BenchEmail> => {
    const address = `extra-${randomUUID()}@example.com`;
    const { email } = await addEmail(services)({ userId: user.userId, email: address, correlationId: "bench-setup" });
    const code = mailbox.to(address).at(-1)?.code;
    if (!code) throw new Error(`no code mailed to ${address}`);
    return { user, emailId: email.emailId, code };
  };

  const addVerified = async (user: BenchUser): Promise<BenchEmail> => {
    const added = await addUnverified(user);
    await confirmVerification(services)({ userId: user.userId, emailId: added.emailId, code: added.code, correlationId: "bench-setup" });
    return added;
  };

  const users = (count: number) => inParallel(count, signUp);

  /** `count` unverified addresses, each with its live code, spread over fresh accounts. */
  const unverifiedEmails = async (count: number): Promise<BenchEmail[]> => {
    const owners = await users(Math.ceil(count / ADDRESSES_PER_USER));
    // One account's adds in sequence: parallel adds to one account would race on its email count.
    const perOwner = await inParallel(owners.length, async (o) => {
      const added: BenchEmail[] = [];
      const wanted = Math.min(ADDRESSES_PER_USER, count - o * ADDRESSES_PER_USER);
      while (added.length < wanted) added.push(await addUnverified(owners[o] as BenchUser));
      return added;
    });
    return perOwner.flat();
  };

  /**
   * The typical account to purge: 5 addresses (the primary, two verified, two unverified
   * with live codes) and 50 activity items (profile updates make up the rest; the deletion is the
   * last), deleted.
   */
  const typicalAccount = async (): Promise<BenchUser> => {
    const user = await signUp();
    await addVerified(user);
    await addVerified(user);
    await addUnverified(user);
    await addUnverified(user);
    for (let i = 7; i < 49; i++) {
      await updateProfile(services)({ userId: user.userId, patch: { firstName: i % 2 ? "Ada" : "Bea" }, correlationId: "bench-setup" });
    }
    await deleteAccount(services)({ userId: user.userId, correlationId: "bench-setup", actor: userActor(user.userId) });
    return user;
  };

  return { signUp, users, addUnverified, addVerified, unverifiedEmails, typicalAccounts: (count: number) => inParallel(count, typicalAccount) };
}

async function inParallel<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, worker));
  return results;
}
