/**
 * Cognito's request-rate quotas as the local pool can enforce them: each user-pool operation
 * belongs to a category, and a category's calls share one rate (requests per second, per account
 * and Region in AWS). Over it, Cognito answers TooManyRequestsException. Off unless limits are set:
 * the local stack serves unthrottled; tests that prove backing off set the rates they need.
 *
 * Categories and defaults: docs/capacity.md (looked up 2026-11-29). Only the operations this
 * service and its tests call are mapped; any other is counted but never throttled.
 */
export type QuotaCategory =
  | "UserAuthentication"
  | "UserCreation"
  | "UserAccountRecovery"
  | "UserRead"
  | "UserUpdate"
  | "UserList"
  | "UserToken";

const CATEGORIES: Record<QuotaCategory, readonly string[]> = {
  UserAuthentication: ["InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge"],
  UserCreation: ["SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp"],
  UserAccountRecovery: ["ForgotPassword", "ConfirmForgotPassword", "ChangePassword", "AdminResetUserPassword", "AdminSetUserPassword"],
  UserRead: ["AdminGetUser", "GetUser"],
  UserUpdate: [
    "AdminDisableUser", "AdminEnableUser", "AdminDeleteUser", "AdminUpdateUserAttributes", "AdminUserGlobalSignOut",
    "UpdateUserAttributes", "DeleteUser", "GlobalSignOut", "VerifyUserAttribute",
  ],
  UserList: ["ListUsers", "ListUsersInGroup"],
  UserToken: ["RevokeToken", "GetTokensFromRefreshToken"],
};

export const categoryOf = (operation: string): QuotaCategory | undefined =>
  (Object.keys(CATEGORIES) as QuotaCategory[]).find((category) => CATEGORIES[category].includes(operation));

/** Requests per second per category; a category left out is not throttled. */
export type RateLimits = Partial<Record<QuotaCategory, number>>;

export interface RequestQuotas {
  /** Counts the call; false when its category has no room left this instant. */
  admit(operation: string): boolean;
  /** Calls received per operation, admitted or refused, since start or the last reset. */
  calls(): Record<string, number>;
  /** Calls refused per operation. */
  throttled(): Record<string, number>;
  /** New limits (an empty object: none), counts kept. */
  setLimits(limits: RateLimits): void;
  resetCounts(): void;
}

/**
 * A token bucket per category: it holds one second of the category's rate and refills at that
 * rate, so a burst up to the rate passes at once and a sustained load is held to it.
 */
export function requestQuotas(initial: RateLimits = {}, now: () => number = () => performance.now()): RequestQuotas {
  let limits: RateLimits = initial;
  const buckets = new Map<QuotaCategory, { tokens: number; at: number }>();
  let received: Record<string, number> = {};
  let refused: Record<string, number> = {};

  const take = (category: QuotaCategory, rate: number): boolean => {
    const t = now();
    const bucket = buckets.get(category) ?? { tokens: rate, at: t };
    bucket.tokens = Math.min(rate, bucket.tokens + ((t - bucket.at) / 1000) * rate);
    bucket.at = t;
    buckets.set(category, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  return {
    admit(operation) {
      received[operation] = (received[operation] ?? 0) + 1;
      const category = categoryOf(operation);
      const rate = category ? limits[category] : undefined;
      if (!category || rate === undefined || take(category, rate)) return true;
      refused[operation] = (refused[operation] ?? 0) + 1;
      return false;
    },
    calls: () => ({ ...received }),
    throttled: () => ({ ...refused }),
    setLimits(next) {
      limits = next;
      buckets.clear();
    },
    resetCounts() {
      received = {};
      refused = {};
    },
  };
}

/** `UserUpdate=25,UserRead=120` (COGNITO_LOCAL_RATE_LIMITS) as limits; unset or empty: none. */
export function rateLimitsFromText(text: string | undefined): RateLimits {
  const limits: RateLimits = {};
  for (const pair of (text ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = pair.split("=");
    const rate = Number(value);
    if (!name || !(name in CATEGORIES) || !(rate > 0)) throw new Error(`COGNITO_LOCAL_RATE_LIMITS: bad entry ${JSON.stringify(pair)}`);
    limits[name as QuotaCategory] = rate;
  }
  return limits;
}
