import { setTimeout as sleep } from "node:timers/promises";
import { BatchWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConcurrentModificationError, NotFoundError } from "../../domain/errors.js";
import { SequenceConflictError } from "../../domain/events.js";
import type { AccountPurgeStore } from "../../ports/accountPurgeStore.js";
import { batchGetItems } from "./batchGetItems.js";
import { keys } from "./keys.js";
import { OUTBOX_RETENTION_SECONDS, putOutboxEvent } from "./outboxItems.js";
import { sequenceOfItem, toProfile, type ProfileItem } from "./profileItems.js";
import { queryAll } from "./queryAll.js";
import { queryUserPartition } from "./queryUserPartition.js";
import { GSI2 } from "./tableDefinition.js";
import { transactWrite, type NamedItem } from "./transact.js";

type Key = { PK: string; SK: string };

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
const MAX_TRIES = 8;
/** The user's own code budget (codeSendLimitItems.ts counts sends under this scope, keyed by userId). */
const USER_RATE_SCOPE = "verify-user";

/**
 * The purge (SPEC 12.2), in an order that survives a crash anywhere:
 *
 * 1. Read the user's partition. A live account (an admin's purge) is first marked deleted, due now,
 *    so no write of the user can add an item behind the purge and a crashed run is found again.
 * 2. The purge marker on the profile: `purgeStartedAt`, and `purgeAddresses`, every address whose
 *    claim the purge must release, recorded before any email item goes (a resumed run no longer
 *    finds them in the partition); the user's links (restore, revert) go in the same transaction,
 *    so no link can bring back a half-erased account.
 * 3. Batch-delete everything but the profile: partition items, the token items the `LINK#` pointers
 *    name, the outbox items of the user's recent events (found through the activity trail),
 *    idempotency records (`IDEMPOTENCY#{userId}`), the user's own rate windows. Address-keyed limits
 *    (`RATELIMIT#verify#…`, code kills) stay: they guard the mailbox, not the account, and expire
 *    by TTL within a day.
 * 4. Read the recorded claims: with the user's email items gone, no other account can take one over
 *    any more (a takeover deletes the stale holder's email item on condition), so the read is stable.
 * 5. One transaction: the claims still held by the user (on condition), the profile, the
 *    `user.purged` outbox event. Until it commits, the profile and its index entry remain.
 *
 * No activity item: the trail is erased with the account; the event alone records the purge.
 */
export function createDynamoAccountPurgeStore(db: DynamoDBDocumentClient, tableName: string): AccountPurgeStore {
  return {
    async dueForPurge(now, limit) {
      const items = await queryAll(
        db,
        {
          TableName: tableName,
          IndexName: GSI2,
          KeyConditionExpression: "GSI2PK = :pk AND GSI2SK <= :now",
          ExpressionAttributeValues: { ":pk": keys.statusIndexPartition("deleted"), ":now": now },
        },
        limit,
      );
      return items.map((item) => String(item.userId));
    },

    async purge(userId, { now, dueOnly, event }) {
      let partition = await queryUserPartition(db, tableName, userId);
      let profile = profileOf(partition, userId);
      if (!profile) return "absent";
      if (dueOnly && !(profile.status === "deleted" && (profile.purgeStartedAt || (profile.purgeAt && profile.purgeAt <= now)))) {
        return "not-due";
      }

      if (profile.status !== "deleted") {
        await markDeleted(profile, now);
        partition = await queryUserPartition(db, tableName, userId);
        profile = profileOf(partition, userId);
        if (!profile) return "absent";
      }

      const recorded = profile.purgeAddresses ?? new Set<string>();
      const addresses = new Set(recorded);
      for (const item of partition) {
        if (String(item.SK).startsWith(keys.emailSortPrefix)) addresses.add(String(item.email));
      }
      const links = linkKeysOf(partition);
      if (!profile.purgeStartedAt || addresses.size > recorded.size || links.length) await markPurging(profile, addresses, links, now);
      // The links went with the marker.
      partition = partition.filter((item) => !String(item.SK).startsWith(keys.linkSortPrefix));

      await batchDelete(await keysToErase(partition, userId, now));

      const claims = addresses.size
        ? await batchGetItems(db, tableName, [...addresses].map((address) => keys.emailClaim(address)))
        : undefined;
      const held = [...addresses].filter((address) => claims?.get(keys.emailClaim(address))?.userId === userId);

      try {
        // The profile first: when a concurrent run has finished, its condition is the one reported.
        await transactWrite(db, [
          deletePurgedProfile(userId, profile.sequence ?? 0),
          ...held.map((address) => releaseClaim(address, userId)),
          // user.purged is the user's last event: the one after the deleted profile's counter.
          putOutboxEvent(tableName, event((profile.sequence ?? 0) + 1)),
        ]);
      } catch (error) {
        // Another run finished first: the account is gone, which is what this run wanted.
        if (error instanceof NotFoundError) return "absent";
        throw error;
      }
      return "purged";
    },
  };

  function profileOf(partition: Record<string, unknown>[], userId: string): ProfileItem | undefined {
    const item = partition.find((candidate) => candidate.SK === keys.profile(userId).SK);
    return item ? ({ ...toProfile(item), ...pickMarker(item) } as ProfileItem) : undefined;
  }

  function pickMarker(item: Record<string, unknown>): Partial<ProfileItem> {
    const { purgeStartedAt, purgeAddresses } = item as Partial<ProfileItem>;
    return {
      ...(purgeStartedAt ? { purgeStartedAt } : {}),
      ...(purgeAddresses ? { purgeAddresses } : {}),
      sequence: sequenceOfItem(item),
    };
  }

  /** An admin purging a live account: deleted and due now, at the version read (else 409: retry). */
  async function markDeleted(profile: ProfileItem, now: string): Promise<void> {
    await conditional(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.profile(profile.userId),
        UpdateExpression:
          "SET #status = :deleted, deletedAt = :now, purgeAt = :now, updatedAt = :now, purgeStartedAt = :now, GSI2PK = :pk, GSI2SK = :now, #version = :next",
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#status": "status", "#version": "version" },
        ExpressionAttributeValues: {
          ":deleted": "deleted",
          ":now": now,
          ":pk": keys.statusIndexPartition("deleted"),
          ":next": profile.version + 1,
          ":expected": profile.version,
        },
      }),
    );
  }

  /**
   * The marker: the addresses to release, and a purgeAt no later than now (an admin's purge of an
   * account in its grace period is then due for the job too, should this run stop). The version
   * moves, so a restore racing the purge fails on its version condition. The user's live links
   * (pointers and the token items they name) go in the same transaction: from the marker on, no
   * restore link can bring back a half-erased account.
   */
  async function markPurging(profile: ProfileItem, addresses: Set<string>, links: Key[], now: string): Promise<void> {
    const purgeAt = profile.purgeAt && profile.purgeAt <= now ? profile.purgeAt : now;
    const marker = {
      TableName: tableName,
      Key: keys.profile(profile.userId),
      UpdateExpression: `SET purgeStartedAt = if_not_exists(purgeStartedAt, :now), purgeAt = :purgeAt, GSI2SK = :purgeAt, #version = :next${addresses.size ? " ADD purgeAddresses :addresses" : ""}`,
      ConditionExpression: "#status = :deleted AND #version = :expected",
      ExpressionAttributeNames: { "#status": "status", "#version": "version" },
      ExpressionAttributeValues: {
        ":now": now,
        ":purgeAt": purgeAt,
        ":deleted": "deleted",
        ":next": profile.version + 1,
        ":expected": profile.version,
        ...(addresses.size ? { ":addresses": addresses } : {}),
      },
    };
    if (!links.length) return conditional(new UpdateCommand(marker));
    await transactWrite(db, [
      { name: "markPurging", item: { Update: marker }, onConditionFailed: () => new ConcurrentModificationError() },
      ...links.map((Key): NamedItem => ({ name: "deleteLinkOfPurged", item: { Delete: { TableName: tableName, Key } } })),
    ]);
  }

  /** The user's link pointers and the token items they name. */
  function linkKeysOf(partition: Record<string, unknown>[]): Key[] {
    return partition
      .filter((item) => String(item.SK).startsWith(keys.linkSortPrefix))
      .flatMap((item) => [
        { PK: String(item.PK), SK: String(item.SK) },
        ...(item.tokenPK && item.tokenSK ? [{ PK: String(item.tokenPK), SK: String(item.tokenSK) }] : []),
      ]);
  }

  async function conditional(command: UpdateCommand): Promise<void> {
    try {
      await db.send(command);
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") throw new ConcurrentModificationError();
      throw error;
    }
  }

  /** Everything of the user but the profile and the claims (the final transaction's). */
  async function keysToErase(partition: Record<string, unknown>[], userId: string, now: string): Promise<Key[]> {
    const erase: Key[] = [];
    const outboxKept = new Date(Date.parse(now) - OUTBOX_RETENTION_SECONDS * 1000).toISOString();
    for (const item of partition) {
      if (item.SK === keys.profile(userId).SK) continue;
      erase.push({ PK: String(item.PK), SK: String(item.SK) });
      const sk = String(item.SK);
      if (sk.startsWith(keys.linkSortPrefix) && item.tokenPK && item.tokenSK) {
        erase.push({ PK: String(item.tokenPK), SK: String(item.tokenSK) });
      }
      // An activity's id is its event's id: outbox items of the last days (addresses in email.*
      // events) go too. The stream already holds their INSERT, so the relay still publishes them.
      if (sk.startsWith(keys.activitySortPrefix) && String(item.occurredAt) >= outboxKept) {
        erase.push(keys.outboxEvent(String(item.activityId)));
      }
    }
    const [idempotency, windows] = await Promise.all([
      keysOfPartition(keys.idempotencyPartition(userId)),
      keysOfPartition(keys.rateLimitPartition(USER_RATE_SCOPE, userId)),
    ]);
    return [...erase, ...idempotency, ...windows];
  }

  async function keysOfPartition(pk: string): Promise<Key[]> {
    const items = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": pk },
      ProjectionExpression: "PK, SK",
      ConsistentRead: true,
    });
    return items.map((item) => ({ PK: String(item.PK), SK: String(item.SK) }));
  }

  /** BatchWriteItem in 25s; what DynamoDB hands back unprocessed is sent again with backoff. */
  async function batchDelete(all: Key[]): Promise<void> {
    for (let start = 0; start < all.length; start += BATCH_SIZE) {
      let pending = all.slice(start, start + BATCH_SIZE).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > MAX_TRIES) throw new Error(`BatchWriteItem left ${pending.length} delete(s) unprocessed`);
        if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
        const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  }

  function releaseClaim(address: string, userId: string): NamedItem {
    return {
      name: "releasePurgedClaim",
      item: {
        Delete: {
          TableName: tableName,
          Key: keys.emailClaim(address),
          ConditionExpression: "userId = :userId",
          ExpressionAttributeValues: { ":userId": userId },
        },
      },
      onConditionFailed: () => new ConcurrentModificationError(),
    };
  }

  function deletePurgedProfile(userId: string, sequence: number): NamedItem {
    return {
      name: "deletePurgedProfile",
      item: {
        Delete: {
          TableName: tableName,
          Key: keys.profile(userId),
          ConditionExpression: `attribute_exists(purgeStartedAt) AND ${sequence === 0 ? "(attribute_not_exists(#sequence) OR #sequence = :sequence)" : "#sequence = :sequence"}`,
          ExpressionAttributeNames: { "#sequence": "sequence" },
          ExpressionAttributeValues: { ":sequence": sequence },
        },
      },
      // An event in between (the read is stale): the purge runs again from a new read.
      onConditionFailed: (old) => (old?.purgeStartedAt !== undefined ? new SequenceConflictError() : new NotFoundError("User")),
    };
  }
}
