import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  addressLocked,
  addressWindowFull,
  userBudgetSpent,
  type CodeSendWindows,
  type SendLimitState,
} from "../../domain/codeSendLimits.js";
import { sendLimitKey } from "../../domain/email.js";
import { ADDRESS_LOCK_SECONDS, KILL_SPAN_SECONDS } from "../../domain/verificationCode.js";
import type { CodeSend } from "../../ports/emailStore.js";
import type { ItemsByKey } from "./batchGetItems.js";
import { keys } from "./keys.js";
import { RATE_WINDOW_TTL_MARGIN_SECONDS, countRateLimitWindow } from "./rateLimitItems.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/** Sends counted per address (folded: sendLimitKey), whoever holds it, and per user. */
const ADDRESS_SCOPE = "verify";
const USER_SCOPE = "verify-user";

/** The three items a send's limits live in; read together in the request's one BatchGetItem. */
export function sendLimitKeys(send: { userId: string; address: string; windows: CodeSendWindows }) {
  const limitKey = sendLimitKey(send.address);
  return {
    address: keys.rateLimitWindow(ADDRESS_SCOPE, limitKey, send.windows.address.start),
    user: keys.rateLimitWindow(USER_SCOPE, send.userId, send.windows.user.start),
    kills: keys.codeKills(limitKey),
  };
}

export function sendLimitStateOf(items: ItemsByKey, limitKeys: ReturnType<typeof sendLimitKeys>, userId: string): SendLimitState {
  const lockedUntil = items.get(limitKeys.kills)?.lockedUntil;
  const addressWindow = items.get(limitKeys.address);
  const senders = addressWindow?.senders;
  return {
    addressSends: Number(addressWindow?.sends ?? 0),
    userSends: Number(items.get(limitKeys.user)?.sends ?? 0),
    ...(typeof lockedUntil === "number" ? { lockedUntil } : {}),
    callerSentHere: senders instanceof Set && senders.has(userId),
    extraSendUsed: addressWindow?.extraSend !== undefined,
  };
}

/**
 * A send's share of its transaction: both windows counted under their limits and the address not
 * locked, so concurrent sends cannot pass a limit the read said was open.
 */
export function countCodeSend(tableName: string, send: CodeSend): NamedItem[] {
  const { windows, nowEpoch } = send;
  const limitKey = sendLimitKey(send.address);
  return [
    {
      name: "requireAddressUnlocked",
      item: {
        ConditionCheck: {
          TableName: tableName,
          Key: keys.codeKills(limitKey),
          ConditionExpression: "attribute_not_exists(lockedUntil) OR lockedUntil <= :now",
          ExpressionAttributeValues: { ":now": nowEpoch },
        },
      },
      // The lock was set between the read and this write: its full length is the honest bound.
      onConditionFailed: () => addressLocked(windows, nowEpoch + ADDRESS_LOCK_SECONDS, nowEpoch),
    },
    countAddressSend(tableName, send),
    countRateLimitWindow(tableName, USER_SCOPE, send.userId, windows.user, () => userBudgetSpent(windows.user, nowEpoch)),
  ];
}

/**
 * The address's window also remembers who sent in it: the window's one extra send (allowedSend)
 * goes only to an account that has not, and only once.
 */
function countAddressSend(tableName: string, send: CodeSend): NamedItem {
  const { windows, nowEpoch } = send;
  const extra = send.count === "extra";
  return {
    name: "countAddressSend",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.rateLimitWindow(ADDRESS_SCOPE, sendLimitKey(send.address), windows.address.start),
        UpdateExpression: `ADD sends :one, senders :me SET #ttl = :ttl${extra ? ", extraSend = :userId" : ""}`,
        ConditionExpression: extra
          ? "attribute_not_exists(extraSend) AND NOT contains(senders, :userId)"
          : "attribute_not_exists(sends) OR sends < :limit",
        ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ":one": 1,
          ":me": new Set([send.userId]),
          ":ttl": windows.address.end + RATE_WINDOW_TTL_MARGIN_SECONDS,
          ...(extra ? { ":userId": send.userId } : { ":limit": windows.address.limit }),
        },
      },
    },
    onConditionFailed: () => addressWindowFull(windows.address, nowEpoch),
  };
}

/**
 * Records a killed code for the address and returns every kill on record, this one included.
 * One atomic append, so kills of tagged variants racing each other are all counted; the item
 * expires a span after its last kill, when no kill on it can matter any more.
 */
export async function recordCodeKill(db: DynamoDBDocumentClient, tableName: string, address: string, nowEpoch: number): Promise<number[]> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.codeKills(sendLimitKey(address)),
      UpdateExpression: "SET kills = list_append(if_not_exists(kills, :none), :now), #ttl = :ttl",
      ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ":none": [], ":now": [nowEpoch], ":ttl": nowEpoch + KILL_SPAN_SECONDS + RATE_WINDOW_TTL_MARGIN_SECONDS },
      ReturnValues: "ALL_NEW",
    }),
  );
  return ((Attributes?.kills ?? []) as unknown[]).map(Number);
}

/** Locks the address until `lockedUntil`; a later lock already in place is kept. */
export async function lockAddress(db: DynamoDBDocumentClient, tableName: string, address: string, lockedUntil: number): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.codeKills(sendLimitKey(address)),
      UpdateExpression: "SET lockedUntil = :until, #ttl = :ttl",
      ConditionExpression: "attribute_not_exists(lockedUntil) OR lockedUntil < :until",
      ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ":until": lockedUntil, ":ttl": lockedUntil + RATE_WINDOW_TTL_MARGIN_SECONDS },
    }),
  ).catch((error: unknown) => {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
  });
}
