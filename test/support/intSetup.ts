import { inject } from "vitest";

// Entry points build their services from the environment, exactly as in Lambda.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.STAGE = "test";
