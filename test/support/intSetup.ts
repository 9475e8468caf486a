import { afterAll, inject } from "vitest";
import { stopLocalSes } from "./sesMailbox.js";

// Entry points build their services from the environment, exactly as in Lambda.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.STAGE = "test";

// The file's local SES server, if a test graph started one.
afterAll(() => stopLocalSes());
