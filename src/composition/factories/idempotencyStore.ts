import { createIdempotencyStoreFactory } from "../../adapters/dynamodb/idempotencyStore.js";
import { dynamoConfigOf } from "./dynamo.js";
import type { Factory } from "./factory.js";

/** Powertools idempotency records (POST routes), in the service's table. */
export const idempotencyStore: Factory<"idempotencyStore"> = (config) => createIdempotencyStoreFactory(dynamoConfigOf(config));
