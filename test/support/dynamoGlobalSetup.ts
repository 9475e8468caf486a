import type { TestProject } from "vitest/node";
import { startDynamoLocal } from "../../local/dynamodb/dynamoLocal.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One DynamoDB Local for the whole integration run, on a free 127.0.0.1 port; stopped after. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal();
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
