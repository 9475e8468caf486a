import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConcurrentModificationError, InvalidLinkError } from "../../domain/errors.js";
import type { LinkPurpose, LinkTokenRecord } from "../../domain/linkToken.js";
import { keys } from "./keys.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/**
 * Link tokens in the table (SPEC 12.1, 12.3), two items per live link:
 *
 * - the token item, `LINKTOKEN#{digest}` / `TOKEN`: what a public route finds from the token alone
 *   (userId, purpose, expiresAt as the TTL attribute; a revert link also the old primary's
 *   emailId and address). Only the keyed digest of the token is in the key; the token is nowhere.
 * - the pointer item, `USER#{userId}` / `LINK#{purpose}`: names the token item (`tokenPK`,
 *   `tokenSK`, `digest`), so that a newer link of the same purpose deletes the older token in its
 *   own transaction, and a purge of the user's partition can delete every token item it points to.
 *
 * Issued in the transaction of the change that mails the link; consumed (both items deleted, the
 * token on condition) in the transaction of the action it authorizes, so two concurrent uses of one
 * token cannot both commit.
 */
export interface LinkTokenItem {
  PK: string;
  SK: string;
  userId: string;
  purpose: LinkPurpose;
  [TTL_ATTRIBUTE]: number;
  createdAt: string;
  emailId?: string;
  email?: string;
}

export interface LinkPointerItem {
  PK: string;
  SK: string;
  userId: string;
  purpose: LinkPurpose;
  digest: string;
  /** The token item's key. A purge deletes `{PK: tokenPK, SK: tokenSK}` for every `LINK#` item. */
  tokenPK: string;
  tokenSK: string;
  [TTL_ATTRIBUTE]: number;
}

export function toLinkTokenRecord(digest: string, item: Record<string, unknown>): LinkTokenRecord {
  const { userId, purpose, [TTL_ATTRIBUTE]: expiresAt, createdAt, emailId, email } = item as unknown as LinkTokenItem;
  return {
    digest,
    userId,
    purpose,
    expiresAt: Number(expiresAt),
    createdAt,
    ...(emailId !== undefined ? { emailId } : {}),
    ...(email !== undefined ? { email } : {}),
  };
}

/** The token item of a digest, read strongly consistent (a consumed token must read as gone). */
export async function getLinkToken(db: DynamoDBDocumentClient, tableName: string, digest: string): Promise<LinkTokenRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.linkToken(digest), ConsistentRead: true }));
  return Item ? toLinkTokenRecord(digest, Item) : undefined;
}

/**
 * Writes a new link: its token item and the user's pointer to it; with `previousDigest` (what the
 * pointer named when read), the older token of the purpose is deleted in the same transaction. The
 * pointer is conditioned on still naming that previous digest: two links issued at once cannot
 * both leave a live token behind.
 */
export function issueLinkToken(
  tableName: string,
  token: LinkTokenRecord,
  previousDigest?: string,
  options: { unread?: boolean } = {},
): NamedItem[] {
  const tokenKey = keys.linkToken(token.digest);
  const tokenItem: LinkTokenItem = {
    ...tokenKey,
    userId: token.userId,
    purpose: token.purpose,
    [TTL_ATTRIBUTE]: token.expiresAt,
    createdAt: token.createdAt,
    ...(token.emailId !== undefined ? { emailId: token.emailId } : {}),
    ...(token.email !== undefined ? { email: token.email } : {}),
  };
  const pointer: LinkPointerItem = {
    ...keys.linkPointer(token.userId, token.purpose),
    userId: token.userId,
    purpose: token.purpose,
    digest: token.digest,
    tokenPK: tokenKey.PK,
    tokenSK: tokenKey.SK,
    [TTL_ATTRIBUTE]: token.expiresAt,
  };
  const items: NamedItem[] = [
    {
      name: "putLinkToken",
      item: { Put: { TableName: tableName, Item: tokenItem, ConditionExpression: "attribute_not_exists(PK)" } },
      onConditionFailed: () => new ConcurrentModificationError(),
    },
    {
      name: "putLinkPointer",
      item: {
        Put: {
          TableName: tableName,
          Item: pointer,
          // `unread`: the caller did not read the pointer (none can exist: see saveAtVersion), so
          // the pointer is written whatever is there.
          ...(options.unread
            ? {}
            : previousDigest
              ? { ConditionExpression: "digest = :previous", ExpressionAttributeValues: { ":previous": previousDigest } }
              : { ConditionExpression: "attribute_not_exists(PK)" }),
        },
      },
      onConditionFailed: () => new ConcurrentModificationError(),
    },
  ];
  if (previousDigest && previousDigest !== token.digest) {
    items.push({ name: "deleteReplacedLinkToken", item: { Delete: { TableName: tableName, Key: keys.linkToken(previousDigest) } } });
  }
  return items;
}

/**
 * Spends a link: deletes its token item only if it is still there for this user and purpose (a
 * second use, or a use racing this one, fails here: InvalidLinkError), and the user's pointer if
 * it still names this token.
 */
export function consumeLinkToken(tableName: string, token: Pick<LinkTokenRecord, "digest" | "userId" | "purpose">): NamedItem[] {
  const invalid = () => new InvalidLinkError();
  return [
    {
      name: "consumeLinkToken",
      item: {
        Delete: {
          TableName: tableName,
          Key: keys.linkToken(token.digest),
          ConditionExpression: "attribute_exists(PK) AND userId = :userId AND purpose = :purpose",
          ExpressionAttributeValues: { ":userId": token.userId, ":purpose": token.purpose },
        },
      },
      onConditionFailed: invalid,
    },
    {
      name: "deleteLinkPointer",
      item: {
        Delete: {
          TableName: tableName,
          Key: keys.linkPointer(token.userId, token.purpose),
          ConditionExpression: "attribute_not_exists(PK) OR digest = :digest",
          ExpressionAttributeValues: { ":digest": token.digest },
        },
      },
      onConditionFailed: invalid,
    },
  ];
}
