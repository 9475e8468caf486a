import { EmailNotAvailableError } from "../../domain/errors.js";
import type { EmailClaimItem } from "./emailItems.js";
import { keys } from "./keys.js";
import type { NamedItem } from "./transact.js";

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
