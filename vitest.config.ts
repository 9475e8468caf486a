import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

const quietEnv = {
  POWERTOOLS_METRICS_DISABLED: "true",
  POWERTOOLS_TRACE_ENABLED: "false",
  POWERTOOLS_LOG_LEVEL: "SILENT",
  AWS_REGION: "us-east-1",
  // The app client the handler wrapper accepts; test claims carry it (test/support/apiEvent.ts).
  COGNITO_CLIENT_ID: "test-client",
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/unit/**/*.test.ts", "local/**/*.test.ts"],
          exclude: ["**/*.int.test.ts"],
          env: quietEnv,
        },
      },
      {
        test: {
          name: "int",
          include: ["src/**/*.int.test.ts", "test/int/**/*.test.ts"],
          // recordCalls and attributeHandlers: the AWS calls of each function, for the iam project.
          globalSetup: ["test/iam/recordCalls.ts", "test/support/dynamoGlobalSetup.ts"],
          setupFiles: ["test/support/intSetup.ts", "test/iam/attributeHandlers.ts"],
          env: { ...quietEnv, AWS_CALL_RECORD_DIR: resolve(process.env.AWS_CALL_RECORDS_ROOT ?? resolve(import.meta.dirname, "test-results/aws-calls"), "int") },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          globalSetup: ["test/infra/support/packageGlobalSetup.ts"],
          env: quietEnv,
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/iam/recordCalls.ts", "test/e2e/stackGlobalSetup.ts"],
          env: quietEnv,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Run after int and e2e (npm run test:all runs it as a second step): evaluates the AWS
        // calls they recorded against each function's role in the packaged template.
        test: {
          name: "iam",
          include: ["test/iam/**/*.test.ts"],
          globalSetup: ["test/infra/support/packageGlobalSetup.ts"],
          env: quietEnv,
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          env: quietEnv,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
