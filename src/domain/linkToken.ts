import { randomBytes } from "node:crypto";
import type { KeyedHasher } from "../ports/keyedHasher.js";

/**
 * Link tokens (SPEC 12.1, 12.3): the secret a restore or revert link carries. 32 random bytes,
 * base64url (43 characters), handed out once in a mail; only the keyed digest is stored, so a table
 * export, backup or stream reader holds nothing that opens a link. Single use: the token item is
 * deleted, on condition, in the transaction of the action it authorizes. Never logged, never in an
 * event or an activity item.
 */
export type LinkPurpose = "restore" | "revert";

export const LINK_TOKEN_BYTES = 32;
/** base64url of 32 bytes, no padding: anything else is not a token we issued. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A revert link lives 7 days; a restore link lives until the account's purgeAt. */
export const REVERT_LINK_TTL_SECONDS = 7 * 24 * 60 * 60;

export function generateLinkToken(): string {
  return randomBytes(LINK_TOKEN_BYTES).toString("base64url");
}

/**
 * The stored form, under the code secret's key with its own label: a digest of a link token can
 * never stand for a verification code's or a cursor's. The purpose is not part of the input: the
 * public routes look the token up by digest alone and then check the stored purpose.
 */
export function linkTokenDigest(hasher: KeyedHasher, token: string): Promise<string> {
  return hasher.digest(`link-token:${token}`);
}

/** A link token as the store holds it (the token itself is never stored). */
export interface LinkTokenRecord {
  digest: string;
  userId: string;
  purpose: LinkPurpose;
  /** Epoch seconds; also the table's TTL, which deletes late, so readers compare it themselves. */
  expiresAt: number;
  createdAt: string;
  /** Revert links: the address that was primary before the change the link undoes. */
  emailId?: string;
  email?: string;
}

/** The web page's URL of a link: `{WEB_URL}/#restore={token}` or `#revert=`. */
export function linkUrl(webUrl: string, purpose: LinkPurpose, token: string): string {
  return `${webUrl.replace(/\/+$/, "")}/#${purpose}=${token}`;
}
