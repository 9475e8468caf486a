import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { EmailNotAvailableError } from "../../domain/errors.js";
import type { EmailRecord } from "../../domain/email.js";
import type { DomainEvent } from "../../domain/events.js";
import type { UserProfile } from "../../domain/user.js";
import type { AddressClaim, EmailStore, StoredCode } from "../../ports/emailStore.js";
import { batchGetItems } from "./batchGetItems.js";
import { deleteEmailClaim, putEmailClaim, toAddressClaim, verifyEmailClaim } from "./emailClaimItems.js";
import {
  countEmailCodeSend,
  deleteEmail,
  markEmailVerified,
  putEmail,
  setEmailPrimary,
  toEmailRecord,
  unsetEmailPrimary,
  type EmailItem,
} from "./emailItems.js";
import { keys } from "./keys.js";
import { putOutboxEvent } from "./outboxItems.js";
import { queryUserPartition } from "./queryUserPartition.js";
import { adjustEmailCount, putProfileAtVersion, requireActiveProfile, toProfile } from "./profileItems.js";
import { countRateLimitWindow } from "./rateLimitItems.js";
import { transactWriteRetryingConflicts } from "./retryOnConflict.js";
import type { NamedItem } from "./transact.js";
import { killVerificationCode, spendCodeAttempt } from "./verificationCodeAttempts.js";
import { deleteVerificationCode, putVerificationCode, toStoredCode } from "./verificationItems.js";

/** Verification sends are counted per address, whoever holds it. */
const VERIFY_SCOPE = "verify";

export function createDynamoEmailStore(db: DynamoDBDocumentClient, tableName: string): EmailStore {
  const transact = (items: NamedItem[]) => transactWriteRetryingConflicts(db, items);
  const outbox = (events: readonly DomainEvent[]) => events.map((e) => putOutboxEvent(tableName, e));

  return {
    async list(userId) {
      return (await queryUserPartition(db, tableName, userId, keys.emailSortPrefix)).map(toEmailRecord);
    },

    async account(userId) {
      let profile: UserProfile | undefined;
      const emails: EmailRecord[] = [];
      const codes = new Map<string, StoredCode>();
      for (const item of await queryUserPartition(db, tableName, userId)) {
        const sk = String(item.SK);
        if (sk === keys.profile(userId).SK) profile = toProfile(item);
        else if (sk.startsWith(keys.emailSortPrefix)) emails.push(toEmailRecord(item));
        else if (sk.startsWith(keys.codeSortPrefix)) {
          const { emailId, ...code } = toStoredCode(item);
          codes.set(emailId, code);
        }
      }
      return profile ? { profile, emails, codes } : undefined;
    },

    async addressState(address, window) {
      const claimKey = keys.emailClaim(address);
      const windowKey = keys.rateLimitWindow(VERIFY_SCOPE, address, window.start);
      const items = await batchGetItems(db, tableName, [claimKey, windowKey]);
      const claim = items.get(claimKey);
      return {
        ...(claim ? { claim: toAddressClaim(claim) } : {}),
        sends: Number(items.get(windowKey)?.sends ?? 0),
      };
    },

    async resendTarget(userId, emailId, window) {
      // The window item is keyed by address, which only the email item knows: the email item's
      // copy of the count stands in for it, so this stays one round trip.
      const profileKey = keys.profile(userId);
      const emailKey = keys.email(userId, emailId);
      const items = await batchGetItems(db, tableName, [profileKey, emailKey]);
      const profile = items.get(profileKey);
      const email = items.get(emailKey);
      const copy = email as EmailItem | undefined;
      return {
        ...(profile ? { profile: toProfile(profile) } : {}),
        ...(email ? { email: toEmailRecord(email) } : {}),
        sends: copy?.codeSendWindow === window.start ? (copy.codeSends ?? 0) : 0,
      };
    },

    async add({ userId, record, maxEmails, claimReleaseAt, code, send, takeOver, events }) {
      const claim = { userId, emailId: record.emailId, verified: false, releaseAt: claimReleaseAt };
      const items: NamedItem[] = [
        adjustEmailCount(tableName, userId, 1, { max: maxEmails, requireActive: true }),
        putEmail(tableName, userId, record, { window: send.window, count: send.sendsBefore + 1 }),
        putEmailClaim(
          tableName,
          record.email,
          claim,
          takeOver && { staleEmailId: takeOver.claim.emailId, nowEpoch: takeOver.nowEpoch },
        ),
        putVerificationCode(tableName, userId, record.emailId, { ...code, createdAt: record.createdAt }),
        countRateLimitWindow(tableName, VERIFY_SCOPE, send.address, send.window, send.nowEpoch),
      ];
      if (takeOver) items.push(...staleOwnerLoses(takeOver.claim));
      await transact([...items, ...outbox(events)]);
    },

    async remove({ userId, record, events }) {
      // Item order decides which broken rule is reported: a lost race on the item reads as 404.
      await transact([
        deleteEmail(tableName, userId, record.emailId, { onlyIfNotPrimary: true }),
        adjustEmailCount(tableName, userId, -1, { requireActive: true }),
        deleteEmailClaim(tableName, record.email, record.emailId),
        deleteVerificationCode(tableName, userId, record.emailId),
        ...outbox(events),
      ]);
    },

    async replaceCode({ userId, emailId, code, send }) {
      await transact([
        requireActiveProfile(tableName, userId),
        // A count read from another window is zero: the copy then starts over.
        countEmailCodeSend(tableName, userId, emailId, send.window, send.sendsBefore > 0),
        putVerificationCode(tableName, userId, emailId, { ...code, createdAt: new Date(send.nowEpoch * 1000).toISOString() }),
        countRateLimitWindow(tableName, VERIFY_SCOPE, send.address, send.window, send.nowEpoch),
      ]);
    },

    spendAttempt: (userId, emailId, codeHash, maxAttempts) =>
      spendCodeAttempt(db, tableName, userId, emailId, codeHash, maxAttempts),

    killCode: (userId, emailId) => killVerificationCode(db, tableName, userId, emailId),

    async confirm({ userId, record, codeHash, verifiedAt, events }) {
      await transact([
        requireActiveProfile(tableName, userId),
        deleteVerificationCode(tableName, userId, record.emailId, { codeHash }),
        markEmailVerified(tableName, userId, record.emailId, verifiedAt),
        verifyEmailClaim(tableName, record.email, userId, record.emailId),
        ...outbox(events),
      ]);
    },

    async switchPrimary({ profile, expectedVersion, oldPrimary, newPrimary, events }) {
      await transact([
        ...(oldPrimary ? [unsetEmailPrimary(tableName, profile.userId, oldPrimary.emailId)] : []),
        setEmailPrimary(tableName, profile.userId, newPrimary.emailId),
        putProfileAtVersion(tableName, profile, expectedVersion, { requireActive: true }),
        ...outbox(events),
      ]);
    },
  };

  /** The takeover's other half: the stale owner's unverified address, code and count go. */
  function staleOwnerLoses(stale: AddressClaim): NamedItem[] {
    const lostRace = () => new EmailNotAvailableError();
    return [
      { ...deleteEmail(tableName, stale.userId, stale.emailId, { onlyIfUnverified: true }), onConditionFailed: lostRace },
      { ...adjustEmailCount(tableName, stale.userId, -1), onConditionFailed: lostRace },
      deleteVerificationCode(tableName, stale.userId, stale.emailId),
    ];
  }
}
