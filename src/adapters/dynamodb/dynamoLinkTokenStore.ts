import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConcurrentModificationError, EmailNotAvailableError, InvalidLinkError } from "../../domain/errors.js";
import { SequenceConflictError } from "../../domain/events.js";
import type { UserProfile } from "../../domain/user.js";
import type { LinkTokenStore, RevertTarget } from "../../ports/linkTokenStore.js";
import { recordEvent } from "./activityItems.js";
import { putEmailClaim, verifyEmailClaim } from "./emailClaimItems.js";
import { putEmail, unsetEmailPrimary } from "./emailItems.js";
import { keys } from "./keys.js";
import { consumeLinkToken, getLinkToken } from "./linkTokenItems.js";
import { putProfileAtVersion, sequenceMoved, sequenceStepOf, type SequenceStep } from "./profileItems.js";
import { transactWriteRetryingConflicts } from "./retryOnConflict.js";
import type { NamedItem } from "./transact.js";
import { deleteVerificationCode } from "./verificationItems.js";

export function createDynamoLinkTokenStore(db: DynamoDBDocumentClient, tableName: string): LinkTokenStore {
  const write = (items: NamedItem[]) => transactWriteRetryingConflicts(db, items);

  return {
    find: (digest) => getLinkToken(db, tableName, digest),

    async restore({ profile, expectedVersion, token, event }) {
      await write([
        restoreProfile(tableName, profile, expectedVersion, sequenceStepOf([event], profile.userId)),
        ...consumeLinkToken(tableName, token),
        ...recordEvent(tableName, event),
      ]);
    },

    async revert({ profile, expectedVersion, currentPrimary, target, token, event }) {
      const profileItem = putProfileAtVersion(tableName, profile, expectedVersion, {
        requireActive: true,
        sequence: sequenceStepOf([event], profile.userId),
      });
      await write([
        // A re-added address counts in the same update (one transaction touches an item once).
        target.kind === "readd" ? withEmailCountIncrement(profileItem) : profileItem,
        ...(currentPrimary && target.kind !== "already" ? [unsetEmailPrimary(tableName, profile.userId, currentPrimary.emailId)] : []),
        ...revertTargetItems(tableName, profile.userId, target),
        ...consumeLinkToken(tableName, token),
        ...recordEvent(tableName, event),
      ]);
    },
  };
}

/**
 * The deleted profile back: putProfileAtVersion writes `next` (no deletedAt or purgeAt) and its
 * status index entry (none when active; a suspended one when the account was suspended before it
 * was deleted), here only while the profile is still deleted and no purge has started on it: a
 * purge or another restore in between fails it.
 */
function restoreProfile(tableName: string, next: UserProfile, expectedVersion: number, sequence: SequenceStep | undefined): NamedItem {
  const named = putProfileAtVersion(tableName, next, expectedVersion, sequence ? { sequence } : {});
  const update = named.item.Update;
  if (!update) throw new Error("putProfileAtVersion is expected to build an Update");
  return {
    name: "restoreProfile",
    item: {
      Update: {
        ...update,
        ConditionExpression: `${update.ConditionExpression} AND #status = :deleted AND attribute_not_exists(purgeStartedAt)`,
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ":deleted": "deleted" },
      },
    },
    onConditionFailed: (old) => {
      if (!old || old.status !== "deleted" || old.purgeStartedAt !== undefined) return new InvalidLinkError();
      if (old.version === expectedVersion && sequenceMoved(old, sequence)) return new SequenceConflictError();
      return new ConcurrentModificationError();
    },
  };
}

/** The profile's update, also counting one more address (not capped: see revertTargetItems). */
function withEmailCountIncrement(named: NamedItem): NamedItem {
  const update = named.item.Update;
  if (!update) throw new Error("putProfileAtVersion is expected to build an Update");
  return {
    ...named,
    item: {
      Update: {
        ...update,
        UpdateExpression: `${update.UpdateExpression} ADD #emailCount :one`,
        ExpressionAttributeNames: { ...update.ExpressionAttributeNames, "#emailCount": "emailCount" },
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ":one": 1 },
      },
    },
  };
}

function revertTargetItems(tableName: string, userId: string, target: RevertTarget): NamedItem[] {
  const { record } = target;
  switch (target.kind) {
    case "already":
      return [];
    case "readd":
      // The address comes back verified (the link proved the mailbox) and primary; its claim only
      // if nobody holds it now. The address count is not capped here: the revert gives back an
      // address the account held, even at the limit.
      return [
        { ...putEmail(tableName, userId, record), onConditionFailed: () => new ConcurrentModificationError() },
        putEmailClaim(tableName, record.email, { userId, emailId: record.emailId, verified: true }),
      ];
    case "promote": {
      const items: NamedItem[] = [
        {
          name: "restorePrimaryEmail",
          item: {
            Update: {
              TableName: tableName,
              Key: keys.email(userId, record.emailId),
              UpdateExpression: "SET isPrimary = :true, isVerified = :true, verifiedAt = if_not_exists(verifiedAt, :at)",
              ConditionExpression: "attribute_exists(PK) AND isPrimary = :false",
              ExpressionAttributeValues: { ":true": true, ":false": false, ":at": target.verifiedAt },
            },
          },
          onConditionFailed: () => new ConcurrentModificationError(),
        },
      ];
      if (!record.isVerified) {
        // Re-added by the user but not confirmed yet: the link confirms it; its code dies.
        items.push(
          { ...verifyEmailClaim(tableName, record.email, userId, record.emailId), onConditionFailed: () => new EmailNotAvailableError() },
          deleteVerificationCode(tableName, userId, record.emailId),
        );
      }
      return items;
    }
  }
}
