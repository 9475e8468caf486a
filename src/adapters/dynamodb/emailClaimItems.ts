import { EmailNotAvailableError, NotFoundError } from "../../domain/errors.js";
import type { AddressClaim } from "../../ports/profileStore.js";
import { keys } from "./keys.js";
import type { NamedItem } from "./transact.js";

/**
 * The uniqueness claim on an address. Unverified claims carry `releaseAt` (epoch seconds): from
 * then on another account may take the address over; the holder's blocking sends move it to their
 * code's expiry (claimBlockAfterSend). Not a TTL attribute on purpose: a claim deleted by TTL would
 * leave its email item behind and let a second owner in.
 */
export interface EmailClaimItem {
  PK: string;
  SK: string;
  userId: string;
  emailId: string;
  verified: boolean;
  releaseAt?: number;
}

export function toAddressClaim(item: Record<string, unknown>): AddressClaim {
  const { userId, emailId, verified, releaseAt } = item as unknown as EmailClaimItem;
  return { userId, emailId, verified, ...(releaseAt !== undefined ? { releaseAt } : {}) };
}

/**
 * Claims an address: succeeds only if nobody holds it, or (with `takeOver`) if the named stale
 * unverified claim is still the one in place and its block has ended: of several accounts taking
 * over one claim, exactly one succeeds, and a resend that extended the block meanwhile wins.
 */
export function putEmailClaim(
  tableName: string,
  address: string,
  claim: AddressClaim,
  takeOver?: { staleEmailId: string; nowEpoch: number },
): NamedItem {
  const item: EmailClaimItem = { ...keys.emailClaim(address), ...claim };
  return {
    name: "putEmailClaim",
    item: {
      Put: {
        TableName: tableName,
        Item: item,
        ...(takeOver
          ? {
              ConditionExpression:
                "attribute_not_exists(PK) OR (verified = :false AND releaseAt <= :now AND emailId = :staleEmailId)",
              ExpressionAttributeValues: { ":false": false, ":now": takeOver.nowEpoch, ":staleEmailId": takeOver.staleEmailId },
            }
          : { ConditionExpression: "attribute_not_exists(PK)" }),
      },
    },
    onConditionFailed: () => new EmailNotAvailableError(),
  };
}

/**
 * The holder's blocking send moves the block to its code's expiry; only while the claim is still
 * this unverified address's (a takeover or a verification meanwhile makes the resend fail).
 */
export function extendClaimBlock(tableName: string, address: string, emailId: string, until: number): NamedItem {
  return {
    name: "extendClaimBlock",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.emailClaim(address),
        UpdateExpression: "SET releaseAt = :until",
        ConditionExpression: "emailId = :emailId AND verified = :false",
        ExpressionAttributeValues: { ":until": until, ":emailId": emailId, ":false": false },
      },
    },
    onConditionFailed: () => new NotFoundError("Email"),
  };
}

/** Marks a claim verified: it is never released after that. */
export function verifyEmailClaim(tableName: string, address: string, userId: string, emailId: string): NamedItem {
  return {
    name: "verifyEmailClaim",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.emailClaim(address),
        UpdateExpression: "SET verified = :true REMOVE releaseAt",
        ConditionExpression: "userId = :userId AND emailId = :emailId",
        ExpressionAttributeValues: { ":true": true, ":userId": userId, ":emailId": emailId },
      },
    },
    onConditionFailed: () => new NotFoundError("Email"),
  };
}

export function deleteEmailClaim(tableName: string, address: string, emailId: string): NamedItem {
  return {
    name: "deleteEmailClaim",
    item: {
      Delete: {
        TableName: tableName,
        Key: keys.emailClaim(address),
        ConditionExpression: "emailId = :emailId",
        ExpressionAttributeValues: { ":emailId": emailId },
      },
    },
    onConditionFailed: () => new NotFoundError("Email"),
  };
}

/**
 * Claims an address for a user who has just proved control of it to Cognito. Such a user
 * outranks any holder who never verified it, expired or not (SPEC 5.4: "an unverified claim is
 * taken over at confirmation"); otherwise PreSignUp would admit sign-ups that can never complete.
 * The condition pins the exact stale claim that was read, so a claim verified meanwhile wins.
 */
export function claimAddressAtSignUp(
  tableName: string,
  address: string,
  claim: { userId: string; emailId: string },
  staleEmailId?: string,
): NamedItem {
  const item: EmailClaimItem = { ...keys.emailClaim(address), ...claim, verified: true };
  return {
    name: "claimAddressAtSignUp",
    item: {
      Put: {
        TableName: tableName,
        Item: item,
        ...(staleEmailId
          ? {
              ConditionExpression: "verified = :false AND emailId = :staleEmailId",
              ExpressionAttributeValues: { ":false": false, ":staleEmailId": staleEmailId },
            }
          : { ConditionExpression: "attribute_not_exists(PK)" }),
      },
    },
    onConditionFailed: () => new EmailNotAvailableError(),
  };
}
