/** Who is calling, taken only from verified token claims. */
export interface Caller {
  userId: string;
  groups: readonly string[];
  /** Epoch seconds of the last sign-in (`auth_time`), when the token carries it. */
  authTime?: number;
}

export const ADMIN_GROUP = "admins";

export function isAdmin(caller: Caller): boolean {
  return caller.groups.includes(ADMIN_GROUP);
}
