import { z } from "zod";
import { logger } from "../observability.js";
import { deleteAccount } from "./deleteAccount.js";

/**
 * The part of Cognito's CloudTrail record of DeleteUser this use case reads. The call is made with
 * the user's access token, which CloudTrail hides; Cognito names the user by `sub` in
 * additionalEventData. A refused call has an errorCode.
 */
const deleteUserRecord = z.object({
  eventName: z.literal("DeleteUser"),
  eventID: z.string().min(1),
  errorCode: z.string().optional(),
  additionalEventData: z.object({ sub: z.string().min(1) }),
});

/** The EventBridge event the default bus's rule delivers ("AWS API Call via CloudTrail"). */
export interface CloudTrailEvent {
  id: string;
  detail: unknown;
}

export type CognitoDeletionOutcome =
  | { action: "deleted"; userId: string; deletedAt: string }
  | { action: "skipped"; userId: string; reason: "call-failed" | "no-profile" };

/**
 * A user deleted their own Cognito user (DeleteUser with their access token: no app-client
 * setting can refuse it). The account is deleted as DELETE /users/me deletes it, by the same use
 * case: status `deleted` and user.deleted through the outbox; the cognito-sync consumer then finds
 * no Cognito user to disable. Records arrive at least once; deleteAccount answers a second time
 * without writing. A record that names no user throws, so the target's retries end in the DLQ
 * where a person sees it.
 */
export const deleteAccountDeletedInCognito =
  (services: Parameters<typeof deleteAccount>[0]) =>
  async (event: CloudTrailEvent): Promise<CognitoDeletionOutcome> => {
    const record = deleteUserRecord.parse(event.detail);
    const userId = record.additionalEventData.sub;
    if (record.errorCode) return { action: "skipped", userId, reason: "call-failed" };

    if (!(await services.profiles.get(userId))) {
      logger.warn("Cognito user deleted, but no profile for it", { userId });
      return { action: "skipped", userId, reason: "no-profile" };
    }
    // CloudTrail's eventID is stable across redeliveries: the correlation id of what follows.
    const { deletedAt } = await deleteAccount(services)({ userId, correlationId: record.eventID });
    return { action: "deleted", userId, deletedAt };
  };
