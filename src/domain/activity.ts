import type { DomainEvent, EventDetail, EventType } from "./events.js";

/**
 * Who made a change (SPEC 12.5). A user acting on their own account, an admin acting on someone
 * else's (named by its userId), or the service itself: sign-up triggers, jobs, the consumers that
 * answer what Cognito reports, and the side of a takeover that happens to the stale holder.
 */
export type Actor = { type: "user"; userId: string } | { type: "admin"; userId: string } | { type: "system" };

export const userActor = (userId: string): Actor => ({ type: "user", userId });
export const adminActor = (userId: string): Actor => ({ type: "admin", userId });
export const systemActor: Actor = { type: "system" };

/** Activity items live this long (TTL), then expire. */
export const ACTIVITY_RETENTION_DAYS = 400;

/** Page sizes of an activity listing. */
export const ACTIVITY_PAGE_DEFAULT = 20;
export const ACTIVITY_PAGE_MAX = 100;

/** What a user (or an admin) sees of one change to an account. */
export interface ActivityItem {
  /** The eventId of the event the change published: one activity per event. */
  activityId: string;
  /** The event's detail-type. */
  type: EventType;
  occurredAt: string;
  actor: Actor;
  /** What changed; never a secret (no code, hash or token): only what the event itself carries. */
  details: Record<string, unknown>;
  correlationId: string;
}

/** Where a listing stopped: the last item of a page, in the listing's order (newest first). */
export interface ActivityPosition {
  occurredAt: string;
  activityId: string;
}

export interface ActivityPage {
  items: ActivityItem[];
  /** Set when older items remain: the position of the last item returned. */
  next?: ActivityPosition;
}

type DetailsOf = { [T in EventType]: (detail: EventDetail<T>) => Record<string, unknown> };

/**
 * The details of each event type's activity: its payload without the envelope and the userId
 * (the partition says whose it is). Listed per type, so a new event type does not compile until
 * someone decides what its activity shows.
 */
const DETAILS: DetailsOf = {
  "user.created": ({ email }) => ({ email }),
  "user.updated": ({ changedFields }) => ({ changedFields }),
  "user.deleted": ({ deletedAt }) => ({ deletedAt }),
  "user.suspended": ({ reason }) => ({ reason }),
  "user.reactivated": () => ({}),
  "user.restored": () => ({}),
  // Never stored: a purge erases the trail with the account and writes no activity.
  "user.purged": ({ purgedAt }) => ({ purgedAt }),
  "email.added": ({ emailId, email }) => ({ emailId, email }),
  "email.verified": ({ emailId, email }) => ({ emailId, email }),
  "email.removed": ({ emailId, email }) => ({ emailId, email }),
  "email.primary.changed": ({ emailId, oldEmail, newEmail, reason }) => ({ emailId, oldEmail, newEmail, ...(reason ? { reason } : {}) }),
};

/** The activity an event leaves in its user's trail, written in the event's own transaction. */
export function activityOf(event: DomainEvent): { userId: string; activity: ActivityItem } {
  const { detail } = event;
  const details = (DETAILS[event.detailType] as (d: typeof detail) => Record<string, unknown>)(detail);
  return {
    userId: detail.userId,
    activity: {
      activityId: detail.eventId,
      type: event.detailType,
      occurredAt: detail.occurredAt,
      actor: event.actor,
      details,
      correlationId: detail.metadata.correlationId,
    },
  };
}
