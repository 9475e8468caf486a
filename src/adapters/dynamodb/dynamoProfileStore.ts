import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { NewUser, ProfileStore } from "../../ports/profileStore.js";
import type { ActivityItem } from "../../domain/activity.js";
import type { EmailRecord } from "../../domain/email.js";
import type { UserProfile } from "../../domain/user.js";
import { recordEvent, toActivityItem } from "./activityItems.js";
import { claimAddressAtSignUp, toAddressClaim } from "./emailClaimItems.js";
import { deleteEmail, putEmail, toEmailRecord } from "./emailItems.js";
import { keys } from "./keys.js";
import { issueLinkToken } from "./linkTokenItems.js";
import { queryUserPartition } from "./queryUserPartition.js";
import { createSignUpMarkerStore, deleteSignUpMarker } from "./signUpMarkerItems.js";
import { adjustEmailCount, putNewProfile, putProfileAtVersion, sequenceOfItem, sequenceStepOf, toProfile } from "./profileItems.js";
import { transactWriteRetryingConflicts } from "./retryOnConflict.js";
import { GSI1 } from "./tableDefinition.js";
import { deleteVerificationCode } from "./verificationItems.js";
import type { NamedItem } from "./transact.js";

export function createDynamoProfileStore(db: DynamoDBDocumentClient, tableName: string): ProfileStore {
  // A TransactionConflict is re-run: the retry commits or fails on the exact condition the winner broke.
  const write = (items: NamedItem[]) => transactWriteRetryingConflicts(db, items);

  const getWithEmails = async (userId: string) => {
    const items = await queryUserPartition(db, tableName, userId);
    const profileItem = items.find((item) => item.SK === keys.profile(userId).SK);
    if (!profileItem) return undefined;
    return {
      profile: toProfile(profileItem),
      emails: items.filter((item) => String(item.SK).startsWith(keys.emailSortPrefix)).map(toEmailRecord),
    };
  };

  return {
    ...createSignUpMarkerStore(db, tableName),

    async get(userId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.profile(userId), ConsistentRead: true }),
      );
      return Item ? toProfile(Item) : undefined;
    },

    async getForChange(userId) {
      // The same GetItem as get: the counter comes with the profile.
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.profile(userId), ConsistentRead: true }),
      );
      return Item ? { profile: toProfile(Item), sequence: sequenceOfItem(Item) } : undefined;
    },

    getWithEmails: (userId) => getWithEmails(userId),

    async findByAddress(address) {
      // GSI1 is eventually consistent: each candidate is re-read from its partition and must still
      // hold the address. Only email items are indexed, so the index answers user ids, not accounts.
      const { Items } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: GSI1,
          KeyConditionExpression: "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": keys.emailIndexPartition(address) },
        }),
      );
      for (const userId of new Set((Items ?? []).map((item) => String(item.userId)))) {
        const account = await getWithEmails(userId);
        if (account?.emails.some((record) => record.email === address)) return account;
      }
      return undefined;
    },

    async claimOf(address) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.emailClaim(address), ConsistentRead: true }),
      );
      return Item ? toAddressClaim(Item) : undefined;
    },

    async saveAtVersion(next, expectedVersion, event, { issueLink, ...options } = {}) {
      await write([
        putProfileAtVersion(tableName, next, expectedVersion, { ...options, sequence: sequenceStepOf([event], next.userId) }),
        // The deletion's restore link, without reading the pointer first: a restore pointer lives
        // only while the account is deleted (a restore spends it, a purge erases it), and a deleted
        // account is not deleted again, so there is never an older one to replace.
        ...(issueLink ? issueLinkToken(tableName, issueLink, undefined, { unread: true }) : []),
        ...recordEvent(tableName, event),
      ]);
    },

    async createUser({ profile, primaryEmail, event, takeOver, signUpMarker }: NewUser) {
      const address = primaryEmail.email;
      const claim = { userId: profile.userId, emailId: primaryEmail.emailId };
      const items = [
        putNewProfile(tableName, profile, 1, event.detail.sequence),
        putEmail(tableName, profile.userId, primaryEmail),
        claimAddressAtSignUp(tableName, address, claim, takeOver?.claim.emailId),
        ...recordEvent(tableName, event),
        // The sign-up is written: its pending marker (SPEC 14.2) goes with it, never before.
        ...(signUpMarker ? [deleteSignUpMarker(tableName, signUpMarker)] : []),
      ];
      if (takeOver) {
        const stale = takeOver.claim;
        items.push(
          deleteEmail(tableName, stale.userId, stale.emailId, { onlyIfUnverified: true }),
          deleteVerificationCode(tableName, stale.userId, stale.emailId),
          // The stale owner's email.removed moves that owner's counter (read by the use case).
          adjustEmailCount(tableName, stale.userId, -1, { sequence: sequenceStepOf([takeOver.event], stale.userId) }),
          ...recordEvent(tableName, takeOver.event),
        );
      }
      await write(items);
    },

    async activityPage(userId, { limit, after }) {
      // One more than asked: a next position only when an older item really exists.
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.userPartition(userId), ":prefix": keys.activitySortPrefix },
          ScanIndexForward: false,
          Limit: limit + 1,
          ConsistentRead: true,
          ...(after ? { ExclusiveStartKey: keys.activity(userId, after.occurredAt, after.activityId) } : {}),
        }),
      );
      const items = Items.slice(0, limit).map(toActivityItem);
      const last = items.at(-1);
      return Items.length > limit && last
        ? { items, next: { occurredAt: last.occurredAt, activityId: last.activityId } }
        : { items };
    },

    async accountData(userId) {
      // Only the item kinds listed here leave the partition; codes and anything added later stay.
      let profile: UserProfile | undefined;
      const emails: EmailRecord[] = [];
      const activity: ActivityItem[] = [];
      for (const item of await queryUserPartition(db, tableName, userId)) {
        const sk = String(item.SK);
        if (sk === keys.profile(userId).SK) profile = toProfile(item);
        else if (sk.startsWith(keys.emailSortPrefix)) emails.push(toEmailRecord(item));
        else if (sk.startsWith(keys.activitySortPrefix)) activity.push(toActivityItem(item));
      }
      // The sort key orders the trail oldest first.
      return profile ? { profile, emails, activity: activity.reverse() } : undefined;
    },
  };
}
