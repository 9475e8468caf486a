import type { LinkTokenRecord } from "../domain/linkToken.js";

/**
 * Reads link tokens by the digest of the token a public route received. Tokens are written and
 * consumed inside the transactions of the changes they belong to (deleteAccount, setPrimaryEmail,
 * restoreAccount, revertPrimaryEmail), through the stores that write those changes.
 */
export interface LinkTokenStore {
  /** The token record, or undefined (unknown, consumed, replaced, or deleted by TTL). */
  find(digest: string): Promise<LinkTokenRecord | undefined>;
}
