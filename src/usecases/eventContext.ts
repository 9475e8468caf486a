import type { Actor } from "../domain/activity.js";
import type { EventContext } from "../domain/events.js";
import type { Services } from "../ports/services.js";

/** What createEvent needs, for one request: `actor` is who makes the change (the activity trail). */
export function eventContext(
  services: Pick<Services, "config" | "clock" | "ids">,
  correlationId: string,
  actor: Actor,
): EventContext {
  return {
    correlationId,
    environment: services.config.environment,
    now: services.clock.now().toISOString(),
    newId: () => services.ids.newId(),
    actor,
  };
}
