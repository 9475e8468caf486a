import type { Services } from "../ports/services.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { changeStatusAsAdmin } from "./changeStatusAsAdmin.js";
import { accountSuspendedNotice } from "./mailMessages.js";

export interface SuspendUserInput {
  userId: string;
  /** The admin acting; never the account itself. */
  actorId: string;
  reason: string;
  correlationId: string;
}

/**
 * Admin action. Suspending a suspended account changes nothing (the first reason stands, no
 * event); a deleted account stays deleted (409): deletion is final, and reviving it through a
 * suspend/reactivate pair would undo the user's own choice.
 */
export const suspendUser =
  (services: Pick<Services, "profiles" | "mailer" | "config" | "clock" | "ids">) =>
  ({ userId, actorId, reason, correlationId }: SuspendUserInput): Promise<UserProfile> =>
    changeStatusAsAdmin(services)({
      userId,
      actorId,
      correlationId,
      to: "suspended",
      next: (current) => ({ ...current, suspendedReason: reason }),
      event: (ctx, sequence) => createEvent("user.suspended", { userId, reason }, ctx, sequence),
      notice: (current) => accountSuspendedNotice(current.email),
    });
