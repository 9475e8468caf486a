import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createCognitoUserDirectory } from "../adapters/cognito/cognitoUserDirectory.js";
import { createDocumentClient } from "../adapters/dynamodb/client.js";
import { createDynamoEmailStore } from "../adapters/dynamodb/dynamoEmailStore.js";
import { createDynamoProfileStore } from "../adapters/dynamodb/dynamoProfileStore.js";
import { createIdempotencyStoreFactory, type IdempotencyStoreFactory } from "../adapters/dynamodb/idempotencyStore.js";
import { createEventBridgePublisher } from "../adapters/eventbridge/eventBridgePublisher.js";
import { memoryMailbox } from "../adapters/mailer/memoryMailbox.js";
import { createSesMailer } from "../adapters/mailer/sesMailer.js";
import { createKeyedHasher } from "../adapters/secrets/createKeyedHasher.js";
import { createSqsDeadLetterQueue } from "../adapters/sqs/sqsDeadLetterQueue.js";
import { createSqsJobQueue } from "../adapters/sqs/sqsJobQueue.js";
import type { EventContext } from "../domain/events.js";
import { systemClock, type Clock } from "../ports/clock.js";
import type { DeadLetterQueue } from "../ports/deadLetterQueue.js";
import type { EmailStore } from "../ports/emailStore.js";
import type { EventPublisher } from "../ports/eventPublisher.js";
import { uuidGenerator, type IdGenerator } from "../ports/ids.js";
import type { KeyedHasher } from "../ports/keyedHasher.js";
import type { JobQueue, SignUpJob } from "../ports/jobQueue.js";
import type { Mailer } from "../ports/mailer.js";
import type { ProfileStore } from "../ports/profileStore.js";
import type { UserDirectory } from "../ports/userDirectory.js";
import { configFromEnv, type AppConfig } from "./config.js";

/** The dependency graph. Use cases take the slice they need: `Pick<Services, "profiles" | "clock">`. */
export interface Services {
  config: AppConfig;
  db: DynamoDBDocumentClient;
  profiles: ProfileStore;
  emails: EmailStore;
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
 * The one composition root: Lambda entry points, the local stack, the benchmark and the
 * integration tests all build the graph here, differing only in configuration and overrides.
 */
export function createServices(config: AppConfig, overrides: ServiceOverrides = {}): Services {
  const dynamoConfig = {
    tableName: config.tableName,
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
  };
  const db = createDocumentClient(dynamoConfig);
  return {
    config,
    db,
    profiles: createDynamoProfileStore(db, config.tableName),
    emails: createDynamoEmailStore(db, config.tableName),
    mailer: overrides.mailer ?? (config.mailer === "ses" ? createSesMailer(config) : memoryMailbox),
    clock: overrides.clock ?? systemClock,
    ids: overrides.ids ?? uuidGenerator,
    keyedHasher: overrides.keyedHasher ?? createKeyedHasher(config),
    userDirectory: createCognitoUserDirectory(config),
    signUpRetryQueue:
      overrides.signUpRetryQueue ??
      createSqsJobQueue<SignUpJob>({
        region: config.region,
        ...(config.signUpRetryQueueUrl ? { queueUrl: config.signUpRetryQueueUrl } : {}),
        ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}),
      }),
    eventPublisher: createEventBridgePublisher(config),
    ...deadLetterQueueOf(config, overrides),
    idempotencyStore: createIdempotencyStoreFactory(dynamoConfig),
  };
}

function deadLetterQueueOf(config: AppConfig, overrides: ServiceOverrides): Pick<Services, "deadLetterQueue"> {
  if (overrides.deadLetterQueue) return { deadLetterQueue: overrides.deadLetterQueue };
  if (!config.eventsDlqUrl) return {};
  return { deadLetterQueue: createSqsDeadLetterQueue({ ...config, queueUrl: config.eventsDlqUrl }) };
}

let current: Services | undefined;

/** The process-wide graph for Lambda entry points, built on first use from the environment. */
export function getServices(): Services {
  current ??= createServices(configFromEnv());
  return current;
}

/** Replaces the process-wide graph (local stack, tests); returns the previous one. */
export function setServices(services: Services | undefined): Services | undefined {
  const previous = current;
  current = services;
  return previous;
}

/** What createEvent needs, for one request. */
export function eventContext(
  services: Pick<Services, "config" | "clock" | "ids">,
  correlationId: string,
): EventContext {
  return {
    correlationId,
    environment: services.config.environment,
    now: services.clock.now().toISOString(),
    newId: () => services.ids.newId(),
  };
}
