import type { Services } from "../ports/services.js";
import { ACTIVITY_PAGE_DEFAULT } from "../domain/activity.js";
import type { ListedStatus, ListedUser } from "../ports/userStatusListing.js";
import { activityCursors } from "./activityCursor.js";

export interface AdminListUsersInput {
  status: ListedStatus;
  /** 1 to 100 (default 20); validated at the edge. */
  limit?: number;
  /** A cursor from this listing's previous page; anything else is InvalidCursorError. */
  cursor?: string;
}

export interface UserListing {
  items: ListedUser[];
  nextCursor?: string;
}

/**
 * The cursor's binding: the signed cursor of the activity routes (./activityCursor.ts) names the
 * listing it belongs to; here that is the status listing, so a cursor of the suspended list, of
 * the deleted list or of any user's activity is refused by the others. A Cognito sub never has
 * this shape.
 */
const listingOf = (status: ListedStatus) => `admin-users:${status}`;

/**
 * GET /admin/users?status=: suspended or deleted accounts, newest first, a page at a time, from
 * the sparse status index (no scan). The position (index sort key, userId) travels in the signed
 * cursor as (at, id).
 */
export const adminListUsers =
  (services: Pick<Services, "keyedHasher" | "statusListing">) =>
  async ({ status, limit = ACTIVITY_PAGE_DEFAULT, cursor }: AdminListUsersInput): Promise<UserListing> => {
    const cursors = activityCursors(services.keyedHasher);
    const listing = listingOf(status);
    const after = cursor === undefined ? undefined : await cursors.decode(listing, cursor);
    const page = await services.statusListing.page(status, {
      limit,
      ...(after ? { after: { sortKey: after.occurredAt, userId: after.activityId } } : {}),
    });
    return {
      items: page.items,
      ...(page.next
        ? { nextCursor: await cursors.encode(listing, { occurredAt: page.next.sortKey, activityId: page.next.userId }) }
        : {}),
    };
  };
