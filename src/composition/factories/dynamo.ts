import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../adapters/dynamodb/client.js";
import { createDynamoAccountPurgeStore } from "../../adapters/dynamodb/dynamoAccountPurgeStore.js";
import { createDynamoEmailStore } from "../../adapters/dynamodb/dynamoEmailStore.js";
import { createDynamoLinkTokenStore } from "../../adapters/dynamodb/dynamoLinkTokenStore.js";
import { createDynamoProfileStore } from "../../adapters/dynamodb/dynamoProfileStore.js";
import { createDynamoStatusListing } from "../../adapters/dynamodb/statusListing.js";
import type { AppConfig } from "../config.js";
import type { Factory } from "./factory.js";

/** The table's connection settings, as the DynamoDB adapters take them. */
export const dynamoConfigOf = (config: AppConfig) => ({
  tableName: config.tableName,
  region: config.region,
  ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
});

/** One document client per configuration: the stores of one graph share it. */
const documentClients = new WeakMap<AppConfig, DynamoDBDocumentClient>();

/**
 * The stores' shared client. Not a member of `Services` (use cases see ports only); tests and the
 * benchmark take it from here for their own reads and for metering.
 */
export function documentClient(config: AppConfig): DynamoDBDocumentClient {
  let client = documentClients.get(config);
  if (!client) {
    client = createDocumentClient(dynamoConfigOf(config));
    documentClients.set(config, client);
  }
  return client;
}

export const profiles: Factory<"profiles"> = (config) => createDynamoProfileStore(documentClient(config), config.tableName);

export const emails: Factory<"emails"> = (config) => createDynamoEmailStore(documentClient(config), config.tableName);

export const links: Factory<"links"> = (config) => createDynamoLinkTokenStore(documentClient(config), config.tableName);

export const accountPurges: Factory<"accountPurges"> = (config) => createDynamoAccountPurgeStore(documentClient(config), config.tableName);

export const statusListing: Factory<"statusListing"> = (config) => createDynamoStatusListing(documentClient(config), config.tableName);
