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

/** Sends of an address's window (all accounts, tags folded) whose code extends its claim's block. */
export const BLOCKING_SENDS_PER_WINDOW = 2;

/**
 * Until when an unverified claim keeps other accounts out (SPEC 11.4: nobody keeps another
 * person's address blocked for more than an hour without reading its mail). A send extends the
 * block to its code's expiry only if it is one of the first BLOCKING_SENDS_PER_WINDOW sends of the
 * address's hour window; later sends still mail a code, but the block stays where it was
 * (undefined: unchanged; a fresh add with nothing to extend does not block at all). A takeover
 * always blocks for its code's life: the new holder gets the 15 minutes to read the mail. After
 * the block, another account's add takes the claim over, whatever the holder's code.
 *
 * Why one holder's block ends within an hour: a block that never lapses is a chain of blocking
 * sends each within 15 minutes (a code's life) of the one before. Windows are fixed clock hours
 * shared by every account, so at most 2 blocking sends of a holder fall in one window (a takeover
 * that is not among the first two is the holder's only one in its window: the window is full).
 * A chain cannot cross a whole window: entering it at most 15 minutes after the window opens, 2
 * sends carry it at most 45 minutes in, short of the next window. So a chain holds at most 4
 * sends, the last at most 45 minutes after the first, and the block ends at most 60 minutes after
 * it began. Removing and re-adding the address does not help: an add is a send of the same window.
 * (Counting all 3 sends would allow 3 at the end of one window and 3 at the start of the next: 90
 * minutes.) Concurrent sends that both read "first two" overlap in time, so they do not lengthen
 * the chain. A spent window does not block others either: see AddressSendCount's extra send.
 */
export function claimBlockAfterSend(sendsBefore: number, codeExpiresAt: number): number | undefined {
  return sendsBefore < BLOCKING_SENDS_PER_WINDOW ? codeExpiresAt : undefined;
}

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
