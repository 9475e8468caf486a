import * as z from "zod/mini";
import type { Services } from "../ports/services.js";
import { systemActor } from "../domain/activity.js";
import { logger } from "../observability.js";
import { deleteAccount } from "./deleteAccount.js";

/**
 * The part of Cognito's CloudTrail record of a call made with a user's access token that this use
 * case reads. CloudTrail hides the token; Cognito names the user by `sub` in additionalEventData.
 * A refused call has an errorCode.
 */
const selfServiceRecord = z.object({
  eventName: z.enum(["DeleteUser", "VerifyUserAttribute"]),
  eventID: z.string().check(z.minLength(1)),
  errorCode: z.optional(z.string()),
  additionalEventData: z.object({ sub: z.string().check(z.minLength(1)) }),
});

/** The EventBridge event the default bus's rule delivers ("AWS API Call via CloudTrail"). */
export interface CloudTrailEvent {
  id: string;
  detail: unknown;
}

export type SelfServiceOutcome =
  | { action: "deleted"; userId: string; deletedAt: string }
  | { action: "restoredEmail"; userId: string }
  | { action: "skipped"; userId: string; reason: "call-failed" | "no-profile" };

/**
 * Answers what a user did to their own Cognito user with their access token, which no app-client
 * setting can stop (SPEC 11.2):
 * - DeleteUser: the account is deleted as DELETE /users/me deletes it, by the same use case
 *   (status `deleted`, user.deleted through the outbox; the cognito-sync consumer then finds no
 *   Cognito user to disable).
 * - VerifyUserAttribute: a user confirmed an address change of their own (`email` stays writable
 *   by the app client because the pool requires it; the change is pending until this call). The
 *   sign-in name must be the profile's primary (SPEC 5.5), so it is set back.
 * Records arrive at least once; both answers are idempotent. A record that names no user throws,
 * so the target's retries end in the DLQ where a person sees it.
 */
export const answerCognitoSelfService =
  (services: Parameters<typeof deleteAccount>[0] & Pick<Services, "userDirectory">) =>
  async (event: CloudTrailEvent): Promise<SelfServiceOutcome> => {
    const record = selfServiceRecord.parse(event.detail);
    const userId = record.additionalEventData.sub;
    if (record.errorCode) return { action: "skipped", userId, reason: "call-failed" };

    const profile = await services.profiles.get(userId);
    if (!profile) {
      logger.warn("Cognito call by a user without a profile", { userId, eventName: record.eventName });
      return { action: "skipped", userId, reason: "no-profile" };
    }
    if (record.eventName === "VerifyUserAttribute") {
      await services.userDirectory.setEmail(userId, profile.email);
      return { action: "restoredEmail", userId };
    }
    // CloudTrail's eventID is stable across redeliveries: the correlation id of what follows.
    // No restore link (no keyed hasher): the Cognito user is gone, a restore could not sign it in.
    const { keyedHasher: _noRestoreLink, ...withoutLink } = services;
    const { deletedAt } = await deleteAccount(withoutLink)({ userId, correlationId: record.eventID, actor: systemActor });
    return { action: "deleted", userId, deletedAt };
  };
