/**
 * Pending sign-up markers (SPEC 14.2). PreSignUp leaves one per sign-up it lets through; the
 * transaction that writes the profile removes it; the reconciliation job reads only the markers
 * that are due, so its cost follows recent sign-ups rather than the size of the pool.
 *
 * A marker names the pool's username and nothing else: no address, no attributes. In this pool
 * (email as the username attribute) the username Cognito generates is the user's `sub`.
 */
export interface PendingSignUp {
  /** The pool's username, as the PreSignUp and PostConfirmation events carry it (`userName`). */
  username: string;
  /** When the job should look at it next (ISO). */
  dueAt: string;
}

export interface SignUpMarkers {
  /** Leaves the marker, due at `dueAt`; it expires by itself (TTL) at `expiresAt` (epoch seconds). */
  markSignUpPending(marker: PendingSignUp & { expiresAt: number }): Promise<void>;
  /** Markers due at or before `dueBy` (ISO), oldest due first, at most `limit`: a Query, never a Scan. */
  dueSignUpMarkers(dueBy: string, limit: number): Promise<PendingSignUp[]>;
  /** Looks at the marker again at `dueAt` (a user who has not confirmed yet). Gone already: a no-op. */
  deferSignUpMarker(username: string, dueAt: string): Promise<void>;
  /** Drops the marker (user gone, never confirmed, or its profile already there). Gone already: a no-op. */
  dropSignUpMarker(username: string): Promise<void>;
}
