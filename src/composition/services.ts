import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { IdempotencyStoreFactory } from "../adapters/dynamodb/idempotencyStore.js";
import type { Clock } from "../ports/clock.js";
import type { DeadLetterQueue } from "../ports/deadLetterQueue.js";
import type { EmailStore } from "../ports/emailStore.js";
import type { EventPublisher } from "../ports/eventPublisher.js";
import type { IdGenerator } from "../ports/ids.js";
import type { KeyedHasher } from "../ports/keyedHasher.js";
import type { LinkTokenStore } from "../ports/linkTokenStore.js";
import type { JobQueue, SignUpJob } from "../ports/jobQueue.js";
import type { Mailer } from "../ports/mailer.js";
import type { ProfileStore } from "../ports/profileStore.js";
import type { AccountPurgeStore } from "../ports/accountPurgeStore.js";
import type { UserDirectory } from "../ports/userDirectory.js";
import { installedServices, setServices } from "./compose.js";
import { configFromEnv, type AppConfig } from "./config.js";
import { accountPurges, db, emails, links, profiles } from "./factories/dynamo.js";
import { deadLetterQueue } from "./factories/deadLetterQueue.js";
import { eventPublisher } from "./factories/eventPublisher.js";
import { idempotencyStore } from "./factories/idempotencyStore.js";
import { keyedHasher } from "./factories/keyedHasher.js";
import { mailer } from "./factories/mailer.js";
import { signUpRetryQueue } from "./factories/signUpRetryQueue.js";
import { clock, ids } from "./factories/system.js";
import { userDirectory } from "./factories/userDirectory.js";

// Use cases and entry points import only types from this module: a value import would bring
// createServices, hence every factory and adapter, into their bundles.

/** The dependency graph. Use cases take the slice they need: `Pick<Services, "profiles" | "clock">`. */
export interface Services {
  config: AppConfig;
  db: DynamoDBDocumentClient;
  profiles: ProfileStore;
  emails: EmailStore;
  /** Erasure of accounts: the purge job and the admin's immediate purge (SPEC 12.2). */
  accountPurges: AccountPurgeStore;
  /** Restore and revert link tokens, and the two changes only a link authorizes. */
  links: LinkTokenStore;
  mailer: Mailer;
  clock: Clock;
  ids: IdGenerator;
  /** Keyed digests of secrets the service hands out (verification codes), the key kept outside the table. */
  keyedHasher: KeyedHasher;
  /** Sign-ups whose profile the PostConfirmation trigger could not write. */
  signUpRetryQueue: JobQueue<SignUpJob>;
  /** Cognito, kept in step with our data by the cognitoSync consumer. */
  userDirectory: UserDirectory;
  /** Only the outbox relay publishes; handlers write events to the outbox. */
  eventPublisher: EventPublisher;
  /** Where the relay keeps events the bus still refuses; unset: the stream retries them instead. */
  deadLetterQueue?: DeadLetterQueue;
  /** Powertools idempotency records for POST routes, in the same table. */
  idempotencyStore: IdempotencyStoreFactory;
}

/** Adapters a caller may swap (tests: a fixed clock; the local stack: its own mailbox). */
export type ServiceOverrides = Partial<Pick<Services, "mailer" | "clock" | "ids" | "keyedHasher" | "signUpRetryQueue" | "deadLetterQueue">>;

/**
 * The one composition root, whole: the local stack, the benchmark and the integration tests build
 * every member here, differing only in configuration and overrides. Each member comes from its
 * factory in ./factories/; Lambda entry points call only the factories they need (./compose.ts).
 */
export function createServices(config: AppConfig, overrides: ServiceOverrides = {}): Services {
  const deadLetters = overrides.deadLetterQueue ?? deadLetterQueue(config);
  return {
    config,
    db: db(config),
    profiles: profiles(config),
    emails: emails(config),
    accountPurges: accountPurges(config),
    links: links(config),
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

let whole: Services | undefined;

/**
 * The whole graph from the environment, built on first use, unless one is installed. Entry points
 * use `composeFrom` instead, which builds only their slice.
 */
export function getServices(): Services {
  const installed = installedServices();
  if (installed) return installed;
  whole ??= createServices(configFromEnv());
  return whole;
}

export { setServices };

/** Kept here for callers that import it from the composition root; use cases import ./eventContext.js. */
export { eventContext } from "./eventContext.js";
