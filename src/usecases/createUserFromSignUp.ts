import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { systemActor } from "../domain/activity.js";
import { normalizeEmail, type EmailRecord } from "../domain/email.js";
import { EmailNotAvailableError } from "../domain/errors.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import type { NewUser } from "../ports/profileStore.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

export interface SignUpInput {
  /** Cognito's `sub`. */
  userId: string;
  /** As Cognito holds it; stored normalized. */
  email: string;
  correlationId: string;
  /**
   * The pool's username, whose pending sign-up marker (SPEC 14.2) the write removes. Defaults to
   * the sub, which is the username Cognito generates in this pool (email is the username attribute).
   */
  username?: string;
}

/**
 * Writes a confirmed sign-up: profile, verified primary address, its claim and user.created, in
 * one transaction. Cognito has just proved the address, so an unverified claim by another account
 * is taken over in the same transaction (its email item and count go, with email.removed for that
 * owner). Replays (trigger retries, the SQS retry, reconciliation) find the profile and do nothing.
 */
export const createUserFromSignUp =
  (services: Pick<Services, "profiles" | "config" | "clock" | "ids">) =>
  (input: SignUpInput): Promise<{ created: boolean }> =>
    retryingSequenceConflicts(async () => {
      const { profiles } = services;
      const { userId } = input;
      if (await profiles.get(userId)) return { created: false };

      try {
        await profiles.createUser(await newUserFor(services, input));
      } catch (error) {
        // A concurrent replay may have won the race: its profile is ours too.
        if (await profiles.get(userId)) return { created: false };
        throw error;
      }
      return { created: true };
    });

async function newUserFor(
  services: Pick<Services, "profiles" | "config" | "clock" | "ids">,
  { userId, email, correlationId, username }: SignUpInput,
): Promise<NewUser> {
  const address = normalizeEmail(email);
  const claim = await services.profiles.claimOf(address);
  if (claim && (claim.verified || claim.userId === userId)) throw new EmailNotAvailableError();

  // Triggers, the retry processor and reconciliation all write a sign-up: the service acts.
  const ctx = eventContext(services, correlationId, systemActor);
  // The stale owner's email.removed takes that owner's next number: one more read, only on a takeover.
  const staleSequence = claim ? ((await services.profiles.getForChange(claim.userId))?.sequence ?? 0) : 0;
  const primaryEmail: EmailRecord = {
    emailId: services.ids.newId(),
    email: address,
    isPrimary: true,
    isVerified: true,
    verifiedAt: ctx.now,
    createdAt: ctx.now,
  };
  const profile: UserProfile = { userId, email: address, status: "active", version: 1, createdAt: ctx.now, updatedAt: ctx.now };
  return {
    profile,
    primaryEmail,
    event: createEvent("user.created", { userId, email: address }, ctx, 1),
    signUpMarker: username ?? userId,
    ...(claim
      ? {
          takeOver: {
            claim,
            event: createEvent("email.removed", { userId: claim.userId, emailId: claim.emailId, email: address }, ctx, staleSequence + 1),
          },
        }
      : {}),
  };
}
