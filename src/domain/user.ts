import { AccountNotActiveError } from "./errors.js";

export type UserStatus = "active" | "suspended" | "deleted";

/** The profile as stored and returned by the API. */
export interface UserProfile {
  userId: string;
  /** The primary address, denormalised from the primary email record. */
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  status: UserStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
  /** When a deleted account is erased for good: deletedAt + the grace period (SPEC 12.1). */
  purgeAt?: string;
  suspendedReason?: string;
}

/** Fields a user may change with PUT /users/me; `null` clears an optional one. */
export const EDITABLE_PROFILE_FIELDS = ["firstName", "lastName", "phone"] as const;
export type EditableProfileField = (typeof EDITABLE_PROFILE_FIELDS)[number];
export type ProfilePatch = Partial<Record<EditableProfileField, string | null>>;

/** Maximum addresses one user may hold. */
export const MAX_EMAILS_PER_USER = 5;

export function assertActive(profile: Pick<UserProfile, "status">): void {
  if (profile.status !== "active") throw new AccountNotActiveError();
}

/** Applies a patch; returns the fields that really changed (empty: a no-op). */
export function applyProfilePatch(
  profile: UserProfile,
  patch: ProfilePatch,
): { next: UserProfile; changedFields: EditableProfileField[] } {
  const next: UserProfile = { ...profile };
  const changedFields: EditableProfileField[] = [];
  for (const field of EDITABLE_PROFILE_FIELDS) {
    if (!(field in patch)) continue;
    const value = patch[field];
    const current = profile[field];
    if (value === null || value === undefined) {
      if (current !== undefined) {
        delete next[field];
        changedFields.push(field);
      }
    } else if (value !== current) {
      next[field] = value;
      changedFields.push(field);
    }
  }
  return { next, changedFields };
}
