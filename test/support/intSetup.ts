import { afterAll, inject } from "vitest";
import { dropStackEnvironment } from "../../local/stackEnvironment.js";
import { stopLocalSes } from "./sesMailbox.js";

// A worker forked while the e2e stack runs in vitest's main process inherits that stack's
// variables; the graphs built here must not reach its servers or mail its page's links.
// COGNITO_CLIENT_ID is the project's own setting (vitest.config.ts).
dropStackEnvironment(process.env, ["COGNITO_CLIENT_ID"]);

// Entry points build their services from the environment, exactly as in Lambda.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.STAGE = "test";

// The file's local SES server, if a test graph started one.
afterAll(() => stopLocalSes());
