import type { DomainError } from "../../domain/errors.js";
import type { RateWindow } from "../../domain/rateLimit.js";
import { keys } from "./keys.js";
import { TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/** Counters outlive their window a little so a late reader still sees the final count. */
export const RATE_WINDOW_TTL_MARGIN_SECONDS = 10 * 60;

/**
 * Counts one use in the window. The condition refuses the use that would pass the limit, so
 * the limit holds under concurrency and a refused transaction changes nothing else either;
 * `refusal` is the error that says which limit it was.
 */
export function countRateLimitWindow(
  tableName: string,
  scope: string,
  key: string,
  window: RateWindow,
  refusal: () => DomainError,
): NamedItem {
  return {
    name: "countRateLimitWindow",
    item: {
      Update: {
        TableName: tableName,
        Key: keys.rateLimitWindow(scope, key, window.start),
        UpdateExpression: "ADD sends :one SET #ttl = :ttl",
        ConditionExpression: "attribute_not_exists(sends) OR sends < :limit",
        ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ":one": 1,
          ":limit": window.limit,
          ":ttl": window.end + RATE_WINDOW_TTL_MARGIN_SECONDS,
        },
      },
    },
    onConditionFailed: refusal,
  };
}
