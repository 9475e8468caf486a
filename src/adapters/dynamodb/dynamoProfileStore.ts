import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { NewUser, ProfileStore } from "../../ports/profileStore.js";
import { claimAddressAtSignUp, toAddressClaim } from "./emailClaimItems.js";
import { deleteEmail, putEmail, toEmailRecord } from "./emailItems.js";
import { keys } from "./keys.js";
import { putOutboxEvent } from "./outboxItems.js";
import { queryUserPartition } from "./queryUserPartition.js";
import { adjustEmailCount, putNewProfile, putProfileAtVersion, toProfile } from "./profileItems.js";
import { transactWriteRetryingConflicts } from "./retryOnConflict.js";
import { GSI1 } from "./tableDefinition.js";
import { deleteVerificationCode } from "./verificationItems.js";
import type { NamedItem } from "./transact.js";

export function createDynamoProfileStore(db: DynamoDBDocumentClient, tableName: string): ProfileStore {
  // A TransactionConflict is re-run: the retry commits or fails on the exact condition the winner broke.
  const write = (items: NamedItem[]) => transactWriteRetryingConflicts(db, items);

  return {
    async get(userId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.profile(userId), ConsistentRead: true }),
      );
      return Item ? toProfile(Item) : undefined;
    },

    async getWithEmails(userId) {
      const items = await queryUserPartition(db, tableName, userId);
      const profileItem = items.find((item) => item.SK === keys.profile(userId).SK);
      if (!profileItem) return undefined;
      return {
        profile: toProfile(profileItem),
        emails: items.filter((item) => String(item.SK).startsWith(keys.emailSortPrefix)).map(toEmailRecord),
      };
    },

    async findUserIdsByAddress(address) {
      const { Items } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: GSI1,
          KeyConditionExpression: "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": keys.emailIndexPartition(address) },
        }),
      );
      return [...new Set((Items ?? []).map((item) => String(item.userId)))];
    },

    async claimOf(address) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.emailClaim(address), ConsistentRead: true }),
      );
      return Item ? toAddressClaim(Item) : undefined;
    },

    async saveAtVersion(next, expectedVersion, event, options = {}) {
      await write([
        putProfileAtVersion(tableName, next, expectedVersion, options),
        putOutboxEvent(tableName, event),
      ]);
    },

    async createUser({ profile, primaryEmail, event, takeOver }: NewUser) {
      const address = primaryEmail.email;
      const claim = { userId: profile.userId, emailId: primaryEmail.emailId };
      const items = [
        putNewProfile(tableName, profile, 1),
        putEmail(tableName, profile.userId, primaryEmail),
        claimAddressAtSignUp(tableName, address, claim, takeOver?.claim.emailId),
        putOutboxEvent(tableName, event),
      ];
      if (takeOver) {
        const stale = takeOver.claim;
        items.push(
          deleteEmail(tableName, stale.userId, stale.emailId, { onlyIfUnverified: true }),
          deleteVerificationCode(tableName, stale.userId, stale.emailId),
          adjustEmailCount(tableName, stale.userId, -1),
          putOutboxEvent(tableName, takeOver.event),
        );
      }
      await write(items);
    },
  };
}
