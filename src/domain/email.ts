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

/** Listing order: primary first, then oldest first. */
export function sortEmails(emails: readonly EmailRecord[]): EmailRecord[] {
  return [...emails].sort((a, b) => {
    if (a.isPrimary !== b.isPrimary) return a.isPrimary ? -1 : 1;
    return a.createdAt.localeCompare(b.createdAt) || a.emailId.localeCompare(b.emailId);
  });
}
