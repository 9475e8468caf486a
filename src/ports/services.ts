import type { AccountPurgeStore } from "./accountPurgeStore.js";
import type { Clock } from "./clock.js";
import type { AppConfig } from "./config.js";
import type { DeadLetterQueue } from "./deadLetterQueue.js";
import type { EmailStore } from "./emailStore.js";
import type { EventPublisher } from "./eventPublisher.js";
import type { IdGenerator } from "./ids.js";
import type { JobQueue, SignUpJob } from "./jobQueue.js";
import type { KeyedHasher } from "./keyedHasher.js";
import type { LinkTokenStore } from "./linkTokenStore.js";
import type { Mailer } from "./mailer.js";
import type { ProfileStore } from "./profileStore.js";
import type { UserDirectory } from "./userDirectory.js";
import type { UserStatusListing } from "./userStatusListing.js";

/**
 * What use cases may depend on: ports only, no SDK client or Powertools type, so a use case reads
 * the same whichever adapters stand behind it. Each takes the slice it needs:
 * `Pick<Services, "profiles" | "clock">`. The composition root (src/composition/) builds them.
 */
export interface Services {
  config: AppConfig;
  profiles: ProfileStore;
  emails: EmailStore;
  /** Erasure of accounts: the purge job and the admin's immediate purge (SPEC 12.2). */
  accountPurges: AccountPurgeStore;
  /** Restore and revert link tokens, and the two changes only a link authorizes. */
  links: LinkTokenStore;
  /** Suspended and deleted accounts, a page at a time (the admin listing). */
  statusListing: UserStatusListing;
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
}
