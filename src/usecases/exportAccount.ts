import type { Services } from "../ports/services.js";
import type { ActivityItem } from "../domain/activity.js";
import { sortEmails, type EmailRecord } from "../domain/email.js";
import { NotFoundError } from "../domain/errors.js";
import type { UserProfile } from "../domain/user.js";

/** SPEC 12.4: what the service holds about the caller, as a download. */
export interface AccountExport {
  exportedAt: string;
  profile: UserProfile;
  emails: EmailRecord[];
  /** Newest first, as GET /users/me/activity lists it. */
  activity: ActivityItem[];
}

/**
 * Everything the service keeps about the caller that is not a secret, from one consistent read of
 * the user's partition. Fields are copied by name (allow-lists below), so an attribute someone
 * adds to an item later (a token digest, say) is not exported until it is added here on purpose.
 *
 * Left out, deliberately: verification codes (their keyed hashes, attempts, expiry), the address
 * claims (a uniqueness lock that holds the same address as the email items), send-limit windows
 * and locks, idempotency records (copies of earlier responses), and outbox items (the same changes
 * as the activity, kept a week for delivery). Works whatever the account's status, deleted too.
 */
export const exportAccount =
  (services: Pick<Services, "profiles" | "clock">) =>
  async (userId: string): Promise<AccountExport> => {
    const data = await services.profiles.accountData(userId);
    if (!data) throw new NotFoundError("User");
    return {
      exportedAt: services.clock.now().toISOString(),
      profile: pick(data.profile, PROFILE_FIELDS),
      emails: sortEmails(data.emails).map((email) => pick(email, EMAIL_FIELDS)),
      activity: data.activity.map((item) => pick(item, ACTIVITY_FIELDS)),
    };
  };

const PROFILE_FIELDS = [
  "userId",
  "email",
  "firstName",
  "lastName",
  "phone",
  "status",
  "version",
  "createdAt",
  "updatedAt",
  "deletedAt",
  "purgeAt",
  "suspendedReason",
] as const satisfies readonly (keyof UserProfile)[];

const EMAIL_FIELDS = [
  "emailId",
  "email",
  "isPrimary",
  "isVerified",
  "verifiedAt",
  "createdAt",
] as const satisfies readonly (keyof EmailRecord)[];

const ACTIVITY_FIELDS = [
  "activityId",
  "type",
  "occurredAt",
  "actor",
  "details",
  "correlationId",
] as const satisfies readonly (keyof ActivityItem)[];

function pick<T extends object>(source: T, fields: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out as T;
}
