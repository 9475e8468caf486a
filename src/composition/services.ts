import type { IdempotencyStoreFactory } from "../adapters/dynamodb/idempotencyStore.js";
import type { Services } from "../ports/services.js";
import { installedServices, setServices } from "./compose.js";
import { configFromEnv, type AppConfig } from "./config.js";
import { accountPurges, emails, links, profiles, statusListing } from "./factories/dynamo.js";
import { deadLetterQueue } from "./factories/deadLetterQueue.js";
import { eventPublisher } from "./factories/eventPublisher.js";
import { idempotencyStore } from "./factories/idempotencyStore.js";
import { keyedHasher } from "./factories/keyedHasher.js";
import { mailer } from "./factories/mailer.js";
import { signUpRetryQueue } from "./factories/signUpRetryQueue.js";
import { clock, ids } from "./factories/system.js";
import { userDirectory } from "./factories/userDirectory.js";

// Entry points import only types from this module: a value import would bring createServices,
// hence every factory and adapter, into their bundles.

/**
 * What the composition root builds: the ports use cases take (src/ports/services.ts), plus the
 * Powertools idempotency records, which only the HTTP layer uses (src/http/idempotency.ts) and
 * which are an adapter type, so they stay out of `Services`.
 */
export interface ServiceGraph extends Services {
  /** Powertools idempotency records for POST routes, in the same table. */
  idempotencyStore: IdempotencyStoreFactory;
}

/** Adapters a caller may swap (tests: a fixed clock; the local stack: its own mailbox). */
export type ServiceOverrides = Partial<Pick<ServiceGraph, "mailer" | "clock" | "ids" | "keyedHasher" | "signUpRetryQueue" | "deadLetterQueue">>;

/**
 * The one composition root, whole: the local stack, the benchmark and the integration tests build
 * every member here, differing only in configuration and overrides. Each member comes from its
 * factory in ./factories/; Lambda entry points call only the factories they need (./compose.ts).
 */
export function createServices(config: AppConfig, overrides: ServiceOverrides = {}): ServiceGraph {
  const deadLetters = overrides.deadLetterQueue ?? deadLetterQueue(config);
  return {
    config,
    profiles: profiles(config),
    emails: emails(config),
    accountPurges: accountPurges(config),
    links: links(config),
    statusListing: statusListing(config),
    mailer: overrides.mailer ?? mailer(config),
    clock: overrides.clock ?? clock(config),
    ids: overrides.ids ?? ids(config),
    keyedHasher: overrides.keyedHasher ?? keyedHasher(config),
    userDirectory: userDirectory(config),
    signUpRetryQueue: overrides.signUpRetryQueue ?? signUpRetryQueue(config),
    eventPublisher: eventPublisher(config),
    ...(deadLetters ? { deadLetterQueue: deadLetters } : {}),
    idempotencyStore: idempotencyStore(config),
  };
}

let whole: ServiceGraph | undefined;

/**
 * The whole graph from the environment, built on first use, unless one is installed. Entry points
 * use `composeFrom` instead, which builds only their slice.
 */
export function getServices(): ServiceGraph {
  const installed = installedServices();
  if (installed) return installed;
  whole ??= createServices(configFromEnv());
  return whole;
}

export { setServices };
