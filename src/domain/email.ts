/** An address a user holds. */
export interface EmailRecord {
  emailId: string;
  email: string;
  isPrimary: boolean;
  isVerified: boolean;
  verifiedAt?: string;
  createdAt: string;
}

export const MAX_EMAIL_LENGTH = 254;

/** An unverified address is released for others to take after this long (seconds). */
export const UNVERIFIED_CLAIM_SECONDS = 7 * 24 * 60 * 60;

/** Stored form: trimmed and lower-cased; no provider-specific folding (dots, plus tags). */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * The key an address's send limits are counted under: case and a `+tag` of the local part folded,
 * so `Ann+1@x` and `ann+2@x` share one window and one lock (most providers deliver both to one
 * inbox). Only the key: the stored address keeps its tag. A local part that starts with `+` is
 * left whole rather than folded to nothing.
 */
export function sendLimitKey(address: string): string {
  const normalized = normalizeEmail(address);
  const at = normalized.lastIndexOf("@");
  const local = normalized.slice(0, at);
  const plus = local.indexOf("+");
  return (plus > 0 ? local.slice(0, plus) : local) + normalized.slice(at);
}

/** Listing order: primary first, then oldest first. */
export function sortEmails(emails: readonly EmailRecord[]): EmailRecord[] {
  return [...emails].sort((a, b) => {
    if (a.isPrimary !== b.isPrimary) return a.isPrimary ? -1 : 1;
    return a.createdAt.localeCompare(b.createdAt) || a.emailId.localeCompare(b.emailId);
  });
}
