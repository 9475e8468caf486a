import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { matchesPattern, type EventPattern } from "./eventPattern.js";
import { interruptibleDelays } from "../server/interruptibleDelays.js";

export interface BusRule {
  name: string;
  description?: string;
  pattern: EventPattern;
}

/** An event as an EventBridge rule target receives it. */
export interface TargetEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** What PutEvents hands the bus; `detail` is the JSON text EventBridge receives. */
export interface BusEntry {
  id?: string;
  source: string;
  detailType: string;
  detail: string;
  time?: Date;
  resources?: string[];
}

export type EventTarget = (event: TargetEvent) => Promise<void> | void;

export interface DeadLetter {
  event: TargetEvent;
  rule: string;
  error: string;
  failedAt: string;
}

export interface LocalEventBusOptions {
  /** Defaults to infra/event-rules.json, the rules Terraform deploys. */
  rules?: BusRule[];
  region?: string;
  account?: string;
  /** How many events `events()` keeps, oldest dropped first. */
  maxEvents?: number;
  /** Deliveries per target before dead-lettering (EventBridge's retry policy, shortened). */
  attempts?: number;
  baseDelayMs?: number;
  /**
   * Where a dead letter goes besides the bus's own list: the local stack sends it to the events
   * DLQ on the local SQS server, as EventBridge sends to a target's dead-letter queue.
   */
  onDeadLetter?: (letter: DeadLetter) => Promise<void>;
}

export interface LocalEventBus {
  /** Accepts one event: logs it and delivers it to the targets of every matching rule, in the background. */
  put(entry: BusEntry): TargetEvent;
  /** Registers a target on a rule; returns a function that removes it. */
  addTarget(ruleName: string, target: EventTarget): () => void;
  /** Records a message in the dead-letter list (the relay's on-failure destination uses it too). */
  deadLetter(entry: BusEntry, rule: string, error: string): void;
  rules(): readonly BusRule[];
  /** Accepted events, newest last. */
  events(): TargetEvent[];
  dlq(): { messages: DeadLetter[] };
  /** Resolves when every delivery started so far has succeeded or been dead-lettered. */
  idle(): Promise<void>;
  /** Cancels pending retries; deliveries in flight finish without further attempts. */
  stop(): Promise<void>;
}

function deployedRules(): BusRule[] {
  const file = join(import.meta.dirname, "..", "..", "infra", "event-rules.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { rules: BusRule[] }).rules;
}

export function createLocalEventBus(options: LocalEventBusOptions = {}): LocalEventBus {
  const rules = options.rules ?? deployedRules();
  const region = options.region ?? "us-east-1";
  const account = options.account ?? "000000000000";
  const maxEvents = options.maxEvents ?? 500;
  const attempts = options.attempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const targets = new Map<string, Set<EventTarget>>();
  const log: TargetEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const inFlight = new Set<Promise<void>>();
  const retryDelays = interruptibleDelays();
  let stopped = false;

  const keep = (letter: DeadLetter) => {
    deadLetters.push(letter);
    if (!options.onDeadLetter) return;
    const sending = options.onDeadLetter(letter)
      .catch((error: unknown) => {
        process.stderr.write(`${JSON.stringify({ level: "ERROR", message: "dead letter not stored", rule: letter.rule, eventId: letter.event.id, error: String(error) })}\n`);
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  const toTargetEvent = (entry: BusEntry): TargetEvent => ({
    version: "0",
    id: entry.id ?? randomUUID(),
    "detail-type": entry.detailType,
    source: entry.source,
    account,
    // EventBridge gives whole seconds: "2026-03-01T10:00:00Z".
    time: (entry.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region,
    resources: entry.resources ?? [],
    detail: JSON.parse(entry.detail) as Record<string, unknown>,
  });

  async function deliver(event: TargetEvent, rule: string, target: EventTarget) {
    let lastError = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await target(event);
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      if (stopped) break;
      if (attempt < attempts) await retryDelays.wait(baseDelayMs * 2 ** (attempt - 1));
    }
    keep({ event, rule, error: lastError, failedAt: new Date().toISOString() });
  }

  return {
    put(entry) {
      const event = toTargetEvent(entry);
      log.push(event);
      if (log.length > maxEvents) log.splice(0, log.length - maxEvents);
      for (const rule of rules) {
        if (!matchesPattern(rule.pattern, event)) continue;
        for (const target of targets.get(rule.name) ?? []) {
          const delivery = deliver(event, rule.name, target).finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
        }
      }
      return event;
    },
    addTarget(ruleName, target) {
      if (!rules.some((r) => r.name === ruleName)) throw new Error(`No rule named ${ruleName}`);
      const set = targets.get(ruleName) ?? new Set();
      set.add(target);
      targets.set(ruleName, set);
      return () => set.delete(target);
    },
    deadLetter(entry, rule, error) {
      keep({ event: toTargetEvent(entry), rule, error, failedAt: new Date().toISOString() });
    },
    rules: () => rules,
    events: () => [...log],
    dlq: () => ({ messages: [...deadLetters] }),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      stopped = true;
      retryDelays.wakeAll();
      await this.idle();
    },
  };
}
