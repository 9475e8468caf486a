/** Key builders for every item in the table (SPEC section 4). The only place key strings are spelled. */
export const keys = {
  profile: (userId: string) => ({ PK: `USER#${userId}`, SK: "PROFILE" }),
  email: (userId: string, emailId: string) => ({ PK: `USER#${userId}`, SK: `EMAIL#${emailId}` }),
  emailIndex: (normalized: string, userId: string) => ({
    GSI1PK: `EMAIL#${normalized}`,
    GSI1SK: `USER#${userId}`,
  }),
  emailClaim: (normalized: string) => ({ PK: `EMAILCLAIM#${normalized}`, SK: "CLAIM" }),
  verificationCode: (userId: string, emailId: string) => ({
    PK: `USER#${userId}`,
    SK: `CODE#${emailId}`,
  }),
  rateLimitWindow: (scope: string, key: string, windowStart: number) => ({
    PK: keys.rateLimitPartition(scope, key),
    SK: `WINDOW#${windowStart}`,
  }),
  /** Kills of codes for one address (its send-limit key) and the lock they set. */
  codeKills: (limitKey: string) => ({ PK: `RATELIMIT#codekills#${limitKey}`, SK: "KILLS" }),
  outboxEvent: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: "EVENT" }),
  /** One change in a user's activity trail; the sort key orders the trail by time (ISO, then id). */
  activity: (userId: string, occurredAt: string, activityId: string) => ({
    PK: `USER#${userId}`,
    SK: `ACTIVITY#${occurredAt}#${activityId}`,
  }),
  /**
   * A restore or revert link's token, found by the keyed digest of the token the link carries (the
   * public routes know nothing else). Holds userId, purpose and expiresAt (TTL); never the token.
   */
  linkToken: (digest: string) => ({ PK: `LINKTOKEN#${digest}`, SK: "TOKEN" }),
  /**
   * The user's live link of one purpose, in the user's partition: names the token item (`tokenPK`,
   * `tokenSK`), so a newer link of the purpose deletes the older one and a purge erases it.
   */
  linkPointer: (userId: string, purpose: string) => ({ PK: `USER#${userId}`, SK: `LINK#${purpose}` }),
  /**
   * The sparse status index (GSI2): only suspended and deleted profiles carry these attributes.
   * A deleted profile sorts by its purgeAt (the purge job reads the due ones), a suspended one by
   * its updatedAt (the admin listing); both ISO strings.
   */
  statusIndex: (status: "suspended" | "deleted", sortKey: string) => ({
    GSI2PK: `STATUS#${status}`,
    GSI2SK: sortKey,
  }),
  statusIndexPartition: (status: "suspended" | "deleted") => `STATUS#${status}`,
  /**
   * A pending sign-up marker (SPEC 14.2), by the pool's username; holds nothing else but its TTL.
   * It sits in the sparse index GSI2 under one partition, sorted by when the reconciliation job
   * should look at it next (ISO, then the username): the job reads only the due ones.
   */
  signUpMarker: (username: string) => ({ PK: `SIGNUP#${username}`, SK: "PENDING" }),
  signUpMarkerIndex: (dueAt: string, username: string) => ({ GSI2PK: "SIGNUP#pending", GSI2SK: `${dueAt}#${username}` }),
  signUpMarkerIndexPartition: "SIGNUP#pending",
  signUpMarkerPartitionPrefix: "SIGNUP#",
  /** Powertools idempotency records of one caller (src/http/idempotency.ts): PK only; SK is the hashed key. */
  idempotencyPartition: (userId: string) => `IDEMPOTENCY#${userId}`,
  /** Every window of one rate-limit scope and key (a user's code budget: scope verify-user, key userId). */
  rateLimitPartition: (scope: string, key: string) => `RATELIMIT#${scope}#${key}`,
  userPartition: (userId: string) => `USER#${userId}`,
  emailIndexPartition: (normalized: string) => `EMAIL#${normalized}`,
  emailSortPrefix: "EMAIL#",
  codeSortPrefix: "CODE#",
  activitySortPrefix: "ACTIVITY#",
  linkSortPrefix: "LINK#",
  linkTokenPartitionPrefix: "LINKTOKEN#",
  outboxPartitionPrefix: "OUTBOX#",
} as const;
