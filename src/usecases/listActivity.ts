import type { Services } from "../ports/services.js";
import { ACTIVITY_PAGE_DEFAULT, type ActivityItem } from "../domain/activity.js";
import { activityCursors } from "./activityCursor.js";

export interface ListActivityInput {
  /** Whose trail: the caller's own (GET /users/me/activity) or, for an admin, any user's. */
  userId: string;
  /** 1 to ACTIVITY_PAGE_MAX; validated at the edge. */
  limit?: number;
  /** A cursor from this listing's previous page; anything else is InvalidCursorError. */
  cursor?: string;
}

export interface ActivityListing {
  items: ActivityItem[];
  nextCursor?: string;
}

/**
 * A user's activity, newest first, a page at a time. The cursor is signed and bound to the user
 * (./activityCursor.ts), so a client can only hand back what it was given, for the listing it
 * was given for. One Query per page and no profile read: an unknown (or purged) user has an empty
 * trail, not a 404.
 */
export const listActivity =
  (services: Pick<Services, "profiles" | "keyedHasher">) =>
  async ({ userId, limit = ACTIVITY_PAGE_DEFAULT, cursor }: ListActivityInput): Promise<ActivityListing> => {
    const cursors = activityCursors(services.keyedHasher);
    const after = cursor === undefined ? undefined : await cursors.decode(userId, cursor);
    const page = await services.profiles.activityPage(userId, { limit, ...(after ? { after } : {}) });
    return {
      items: page.items,
      ...(page.next ? { nextCursor: await cursors.encode(userId, page.next) } : {}),
    };
  };
