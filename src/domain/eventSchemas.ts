import * as z from "zod/mini";
import type { EventType } from "./events.js";

/**
 * The zod schema of every event's detail, by detail-type (EVENT_TYPES in ./events.ts lists the
 * same types; `satisfies` keeps the two in step). The JSON Schemas in schemas/events/ are
 * generated from these (npm run schemas). Imported only where details are parsed; zod/mini, so a
 * parsing function does not load classic zod.
 */
const metadata = z.strictObject({
  correlationId: z.string().check(z.minLength(1)),
  environment: z.string().check(z.minLength(1)),
  timestamp: z.iso.datetime(),
});

const envelope = {
  version: z.literal("1.1"),
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
  // The event's place among the user's events: 1 for user.created, then +1 per event in commit order.
  sequence: z.int().check(z.gte(1)),
  metadata,
};

const userId = z.string().check(z.minLength(1));
const emailId = z.string().check(z.minLength(1));
const email = z.email();

export const eventDetailSchemas = {
  "user.created": z.strictObject({ ...envelope, userId, email }),
  "user.updated": z.strictObject({
    ...envelope,
    userId,
    changedFields: z.array(z.enum(["firstName", "lastName", "phone"])).check(z.minLength(1)),
  }),
  "user.deleted": z.strictObject({ ...envelope, userId, deletedAt: z.iso.datetime() }),
  "user.suspended": z.strictObject({ ...envelope, userId, reason: z.string().check(z.minLength(1)) }),
  "user.reactivated": z.strictObject({ ...envelope, userId }),
  "user.restored": z.strictObject({ ...envelope, userId }),
  // Erased for good (SPEC 12.2): no personal data; actorId names the admin of an immediate purge.
  "user.purged": z.strictObject({ ...envelope, userId, purgedAt: z.iso.datetime(), actorId: z.optional(userId) }),
  "email.added": z.strictObject({ ...envelope, userId, emailId, email }),
  "email.verified": z.strictObject({ ...envelope, userId, emailId, email }),
  "email.removed": z.strictObject({ ...envelope, userId, emailId, email }),
  "email.primary.changed": z.strictObject({
    ...envelope,
    userId,
    emailId,
    oldEmail: email,
    newEmail: email,
    // "revert": POST /account/revert undid a change from the old address's link (SPEC 12.3).
    reason: z.optional(z.enum(["change", "revert"])),
  }),
} as const satisfies Record<EventType, z.ZodMiniType>;
