/**
 * The identity provider (Cognito) as this service needs it: keeping the sign-in identity in step
 * with our data, and reading back a sign-up for the retry processor and the reconciliation job. `userId` is always the `sub`.
 *
 * Every method is idempotent: the Cognito-sync consumer receives events at least once.
 */
export interface DirectoryUser {
  /** The user's `sub`: our userId. */
  userId: string;
  /** The `email` attribute (the sign-in name); undefined only for a user created without one. */
  email: string | undefined;
  /** Cognito's UserStatus: CONFIRMED, UNCONFIRMED, FORCE_CHANGE_PASSWORD, ... */
  status: string;
  enabled: boolean;
  createdAt: Date;
}

export interface UserDirectory {
  /** The user as the pool holds it now; undefined when the pool has no such user. */
  getUser(userId: string): Promise<DirectoryUser | undefined>;
  /** Makes `email` the sign-in name, marked verified (we verified it before it became primary). */
  setEmail(userId: string, email: string): Promise<void>;
  /** Blocks sign-in and revokes the user's sessions. A user already gone from the pool is a no-op. */
  disableAndSignOut(userId: string): Promise<void>;
  enable(userId: string): Promise<void>;
  /** Removes the user from the pool for good (AdminDeleteUser: the purge). A user already gone is a no-op. */
  deleteUser(userId: string): Promise<void>;
  /** Revokes every refresh token of the user (AdminUserGlobalSignOut); the user stays enabled. */
  signOutEverywhere(userId: string): Promise<void>;
  /**
   * The current password stops working (AdminResetUserPassword): Cognito mails a reset code to the
   * user's verified email, and sign-in fails until the user sets a new password with it.
   */
  requirePasswordReset(userId: string): Promise<void>;
}
