import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { EmailNotAvailableError } from "../../domain/errors.js";
import type { EmailRecord } from "../../domain/email.js";
import type { DomainEvent } from "../../domain/events.js";
import type { UserProfile } from "../../domain/user.js";
import type { AddressClaim, EmailStore, StoredCode } from "../../ports/emailStore.js";
import { recordEvent } from "./activityItems.js";
import { batchGetItems } from "./batchGetItems.js";
import { deleteEmailClaim, extendClaimBlock, putEmailClaim, toAddressClaim, verifyEmailClaim } from "./emailClaimItems.js";
import { countCodeSend, lockAddress, recordCodeKill, sendLimitKeys, sendLimitStateOf } from "./codeSendLimitItems.js";
import {
  deleteEmail,
  markEmailVerified,
  putEmail,
  requireUnverifiedEmail,
  setEmailPrimary,
  toEmailRecord,
  unsetEmailPrimary,
} from "./emailItems.js";
import { keys } from "./keys.js";
import { issueLinkToken } from "./linkTokenItems.js";
import { queryUserPartition } from "./queryUserPartition.js";
import {
  adjustEmailCount,
  advanceSequence,
  putProfileAtVersion,
  requireActiveProfile,
  sequenceMoved,
  sequenceOfItem,
  sequenceStepOf,
  toProfile,
  type SequenceStep,
} from "./profileItems.js";
import { transactWriteRetryingConflicts } from "./retryOnConflict.js";
import type { NamedItem } from "./transact.js";
import { killVerificationCode, spendCodeAttempt } from "./verificationCodeAttempts.js";
import { deleteVerificationCode, putVerificationCode, toStoredCode } from "./verificationItems.js";

export function createDynamoEmailStore(db: DynamoDBDocumentClient, tableName: string): EmailStore {
  const transact = (items: NamedItem[]) => transactWriteRetryingConflicts(db, items);
  // Each event goes with its activity item (recordEvent): the change, its event and its trail commit together.
  const outbox = (events: readonly DomainEvent[]) => events.flatMap((e) => recordEvent(tableName, e));

  return {
    async list(userId) {
      return (await queryUserPartition(db, tableName, userId, keys.emailSortPrefix)).map(toEmailRecord);
    },

    async account(userId) {
      let profile: UserProfile | undefined;
      let sequence = 0;
      const emails: EmailRecord[] = [];
      const codes = new Map<string, StoredCode>();
      let revertLinkDigest: string | undefined;
      for (const item of await queryUserPartition(db, tableName, userId)) {
        const sk = String(item.SK);
        if (sk === keys.profile(userId).SK) {
          profile = toProfile(item);
          sequence = sequenceOfItem(item);
        } else if (sk === keys.linkPointer(userId, "revert").SK) revertLinkDigest = String(item.digest);
        else if (sk.startsWith(keys.emailSortPrefix)) emails.push(toEmailRecord(item));
        else if (sk.startsWith(keys.codeSortPrefix)) {
          const { emailId, ...code } = toStoredCode(item);
          codes.set(emailId, code);
        }
      }
      return profile ? { profile, sequence, emails, codes, ...(revertLinkDigest ? { revertLinkDigest } : {}) } : undefined;
    },

    async addressState(address, { userId, windows }) {
      const claimKey = keys.emailClaim(address);
      const limitKeys = sendLimitKeys({ userId, address, windows });
      const profileKey = keys.profile(userId);
      const items = await batchGetItems(db, tableName, [claimKey, profileKey, ...Object.values(limitKeys)]);
      const claim = items.get(claimKey);
      const profileItem = items.get(profileKey);
      const primaryAddress = profileItem?.email;
      return {
        ...(claim ? { claim: toAddressClaim(claim) } : {}),
        limits: sendLimitStateOf(items, limitKeys, userId),
        ...(typeof primaryAddress === "string" ? { primaryAddress } : {}),
        ...(profileItem ? { sequence: sequenceOfItem(profileItem) } : {}),
      };
    },

    async resendTarget(userId, emailId, windows) {
      // The address's counters are keyed by the address, which only the email item knows: a
      // second round trip, taken only when the address exists.
      const profileKey = keys.profile(userId);
      const emailKey = keys.email(userId, emailId);
      const items = await batchGetItems(db, tableName, [profileKey, emailKey]);
      const profile = items.get(profileKey);
      const emailItem = items.get(emailKey);
      const email = emailItem && toEmailRecord(emailItem);
      const limitKeys = email && sendLimitKeys({ userId, address: email.email, windows });
      const limits = limitKeys
        ? sendLimitStateOf(await batchGetItems(db, tableName, Object.values(limitKeys)), limitKeys, userId)
        : { addressSends: 0, userSends: 0 };
      return { ...(profile ? { profile: toProfile(profile) } : {}), ...(email ? { email } : {}), limits };
    },

    async sequenceOf(userId) {
      // BatchGetItem, the read the add already makes (and its role already holds).
      const profileKey = keys.profile(userId);
      const item = (await batchGetItems(db, tableName, [profileKey])).get(profileKey);
      return item ? sequenceOfItem(item) : undefined;
    },

    async add({ userId, record, maxEmails, claimReleaseAt, code, send, takeOver, events }) {
      const claim = { userId, emailId: record.emailId, verified: false, releaseAt: claimReleaseAt };
      const items: NamedItem[] = [
        adjustEmailCount(tableName, userId, 1, { max: maxEmails, requireActive: true, sequence: sequenceStepOf(events, userId) }),
        putEmail(tableName, userId, record),
        putEmailClaim(
          tableName,
          record.email,
          claim,
          takeOver && { staleEmailId: takeOver.claim.emailId, nowEpoch: takeOver.nowEpoch },
        ),
        putVerificationCode(tableName, userId, record.emailId, { ...code, createdAt: record.createdAt }),
        ...countCodeSend(tableName, send),
      ];
      if (takeOver) items.push(...staleOwnerLoses(takeOver.claim, sequenceStepOf(events, takeOver.claim.userId)));
      await transact([...items, ...outbox(events)]);
    },

    async remove({ userId, record, events }) {
      // Item order decides which broken rule is reported: a lost race on the item reads as 404.
      await transact([
        deleteEmail(tableName, userId, record.emailId, { onlyIfNotPrimary: true }),
        adjustEmailCount(tableName, userId, -1, { requireActive: true, sequence: sequenceStepOf(events, userId) }),
        deleteEmailClaim(tableName, record.email, record.emailId),
        deleteVerificationCode(tableName, userId, record.emailId),
        ...outbox(events),
      ]);
    },

    async replaceCode({ userId, emailId, code, send, claimBlocksUntil }) {
      await transact([
        requireActiveProfile(tableName, userId),
        requireUnverifiedEmail(tableName, userId, emailId),
        ...(claimBlocksUntil === undefined ? [] : [extendClaimBlock(tableName, send.address, emailId, claimBlocksUntil)]),
        putVerificationCode(tableName, userId, emailId, { ...code, createdAt: new Date(send.nowEpoch * 1000).toISOString() }),
        ...countCodeSend(tableName, send),
      ]);
    },

    spendAttempt: (userId, emailId, codeHash, maxAttempts) =>
      spendCodeAttempt(db, tableName, userId, emailId, codeHash, maxAttempts),

    killCode: (userId, emailId, codeHash) => killVerificationCode(db, tableName, userId, emailId, codeHash),

    recordCodeKill: (address, nowEpoch) => recordCodeKill(db, tableName, address, nowEpoch),

    lockAddress: (address, lockedUntil) => lockAddress(db, tableName, address, lockedUntil),

    async confirm({ userId, record, codeHash, verifiedAt, events }) {
      const step = sequenceStepOf(events, userId);
      await transact([
        step ? advanceSequence(tableName, step, { requireActive: true }) : requireActiveProfile(tableName, userId),
        deleteVerificationCode(tableName, userId, record.emailId, { codeHash }),
        markEmailVerified(tableName, userId, record.emailId, verifiedAt),
        verifyEmailClaim(tableName, record.email, userId, record.emailId),
        ...outbox(events),
      ]);
    },

    async switchPrimary({ profile, expectedVersion, oldPrimary, newPrimary, events, revertLink }) {
      await transact([
        ...(revertLink ? issueLinkToken(tableName, revertLink.token, revertLink.replaces) : []),
        ...(oldPrimary ? [unsetEmailPrimary(tableName, profile.userId, oldPrimary.emailId)] : []),
        setEmailPrimary(tableName, profile.userId, newPrimary.emailId),
        putProfileAtVersion(tableName, profile, expectedVersion, { requireActive: true, sequence: sequenceStepOf(events, profile.userId) }),
        ...outbox(events),
      ]);
    },
  };

  /** The takeover's other half: the stale owner's unverified address, code and count go. */
  function staleOwnerLoses(stale: AddressClaim, step: SequenceStep | undefined): NamedItem[] {
    const lostRace = () => new EmailNotAvailableError();
    const count = adjustEmailCount(tableName, stale.userId, -1, step ? { sequence: step } : {});
    return [
      { ...deleteEmail(tableName, stale.userId, stale.emailId, { onlyIfUnverified: true }), onConditionFailed: lostRace },
      // The stale owner's email.removed moves that owner's counter; another event of theirs in between: read again.
      { ...count, onConditionFailed: (old) => (old && sequenceMoved(old, step) ? count.onConditionFailed!(old) : lostRace()) },
      deleteVerificationCode(tableName, stale.userId, stale.emailId),
    ];
  }
}
