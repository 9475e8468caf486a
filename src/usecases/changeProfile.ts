import type { Actor } from "../domain/activity.js";
import { NotFoundError } from "../domain/errors.js";
import type { DomainEvent, EventContext } from "../domain/events.js";
import type { UserProfile } from "../domain/user.js";
import type { ProfileStore } from "../ports/profileStore.js";
import type { Services } from "../ports/services.js";
import { eventContext } from "./eventContext.js";
import { retryingSequenceConflicts } from "./retryingSequenceConflicts.js";

/** The write of one profile change: the next version on the read one, with its event. */
export interface ProfileWrite {
  profile: UserProfile;
  expectedVersion: number;
  event: DomainEvent;
}

/**
 * What a change makes of the profile it read: nothing (`unchanged`, answered as it is), or a
 * write. The answer's type is taken from `answer` alone (NoInfer), so the two branches agree.
 */
export type ProfileDecision<T> =
  | { unchanged: NoInfer<T> }
  | {
      /** The profile after the change; changeProfile sets version and updatedAt. */
      next: UserProfile;
      event: DomainEvent;
      /** saveAtVersion's options (requireActive, issueLink). */
      options?: Parameters<ProfileStore["saveAtVersion"]>[3];
      /** A write other than saveAtVersion (one that also spends a link, say). */
      save?: (write: ProfileWrite) => Promise<void>;
      /** The use case's answer, once the write is committed (a notice is sent here). */
      answer: (saved: UserProfile) => T | Promise<T>;
    };

export interface ProfileChange<T> {
  userId: string;
  correlationId: string;
  actor: Actor;
  /** The error for a user without a profile; 404 "User" by default. */
  missing?: () => Error;
  /**
   * Checks the read profile, throwing the domain error that refuses the change, and decides.
   * `sequence` is the number the change's event takes in the user's order (SPEC 12.7).
   */
  decide(current: UserProfile, ctx: EventContext, sequence: number): ProfileDecision<T> | Promise<ProfileDecision<T>>;
}

/**
 * The shape every profile change shares: read the profile with the user's event counter, let the
 * use case check and decide, write the next version on the read one with the event numbered after
 * the counter, then answer. A change that loses the race on the counter reads and decides again
 * (retryingSequenceConflicts); one that loses on the version is the store's 409.
 */
export const changeProfile =
  (services: Pick<Services, "profiles" | "config" | "clock" | "ids">) =>
  <T>({ userId, correlationId, actor, missing, decide }: ProfileChange<T>): Promise<T> =>
    retryingSequenceConflicts(async () => {
      const read = await services.profiles.getForChange(userId);
      if (!read) throw missing ? missing() : new NotFoundError("User");
      const { profile: current, sequence } = read;
      const ctx = eventContext(services, correlationId, actor);
      const decision = await decide(current, ctx, sequence + 1);
      if ("unchanged" in decision) return decision.unchanged;

      const write: ProfileWrite = {
        profile: { ...decision.next, version: current.version + 1, updatedAt: ctx.now },
        expectedVersion: current.version,
        event: decision.event,
      };
      if (decision.save) await decision.save(write);
      else await services.profiles.saveAtVersion(write.profile, write.expectedVersion, write.event, decision.options);
      return decision.answer(write.profile);
    });
