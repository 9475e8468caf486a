import type { Services } from "../ports/services.js";
import { createEvent } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import { changeStatusAsAdmin } from "./changeStatusAsAdmin.js";
import { accountReactivatedNotice } from "./mailMessages.js";

export interface ReactivateUserInput {
  userId: string;
  /** The admin acting; never the account itself. */
  actorId: string;
  correlationId: string;
}

/** Admin action, the inverse of suspendUser: an active account is a no-op, a deleted one 409. */
export const reactivateUser =
  (services: Pick<Services, "profiles" | "mailer" | "config" | "clock" | "ids">) =>
  ({ userId, actorId, correlationId }: ReactivateUserInput): Promise<UserProfile> =>
    changeStatusAsAdmin(services)({
      userId,
      actorId,
      correlationId,
      to: "active",
      next: ({ suspendedReason: _reason, ...rest }) => rest,
      event: (ctx, sequence) => createEvent("user.reactivated", { userId }, ctx, sequence),
      notice: (current) => accountReactivatedNotice(current.email),
    });
