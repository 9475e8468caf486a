/**
 * An example consumer of the User Service's events (docs/events.md, "How to consume"): it
 * deduplicates on `eventId`, applies each user's events in `sequence` order, holds back an event
 * that arrives before its predecessor, and reports a gap that does not fill. EventBridge delivers
 * at least once and in no particular order; `sequence` (1 for user.created, +1 per event of the
 * user, in commit order) is what lets a consumer put a user's events back in order.
 *
 * The state here is in memory to keep the example short; a real consumer keeps `applied` (the last
 * sequence applied per user) in its own store, updated in the same write as the effect of the event.
 */

/** The part of an event's detail this consumer reads (schemas/events/*.json, version "1.1"). */
export interface UserEvent {
  detailType: string;
  detail: { eventId: string; userId: string; sequence: number; occurredAt: string };
}

export interface OrderedConsumerOptions {
  /** Applies one event; called once per event, for each user in sequence order. */
  apply: (event: UserEvent) => void | Promise<void>;
  /** Called when events of a user are held back because an earlier sequence has not arrived. */
  onGap?: (userId: string, missing: { from: number; to: number }) => void;
}

export class OrderedConsumer {
  /** The last sequence applied, by user (0: none yet). */
  private readonly applied = new Map<string, number>();
  /** Events that arrived ahead of a missing one, by user and sequence. */
  private readonly pending = new Map<string, Map<number, UserEvent>>();
  private readonly seen = new Set<string>();

  constructor(private readonly options: OrderedConsumerOptions) {}

  /** Takes one delivered event; returns the events applied because of it, in order. */
  async receive(event: UserEvent): Promise<UserEvent[]> {
    const { eventId, userId, sequence } = event.detail;
    // At least once: a redelivery (same eventId) or an event older than the applied state is dropped.
    if (this.seen.has(eventId) || sequence <= this.lastApplied(userId)) return [];
    this.seen.add(eventId);

    const held = this.pending.get(userId) ?? new Map<number, UserEvent>();
    held.set(sequence, event);
    this.pending.set(userId, held);

    const applied: UserEvent[] = [];
    for (let next = this.lastApplied(userId) + 1; held.has(next); next++) {
      const ready = held.get(next) as UserEvent;
      await this.options.apply(ready);
      held.delete(next);
      this.applied.set(userId, next);
      applied.push(ready);
    }
    if (held.size === 0) this.pending.delete(userId);
    else this.options.onGap?.(userId, { from: this.lastApplied(userId) + 1, to: Math.min(...held.keys()) - 1 });
    return applied;
  }

  /** The last sequence applied for the user (0: none). */
  lastApplied(userId: string): number {
    return this.applied.get(userId) ?? 0;
  }

  /** Sequences still missing for each user whose later events are held back. */
  gaps(): Map<string, { from: number; to: number }> {
    const gaps = new Map<string, { from: number; to: number }>();
    for (const [userId, held] of this.pending) {
      gaps.set(userId, { from: this.lastApplied(userId) + 1, to: Math.min(...held.keys()) - 1 });
    }
    return gaps;
  }
}
