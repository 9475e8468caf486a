import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDynamoClient } from "../adapters/dynamodb/client.js";
import { configFromEnv } from "../composition/config.js";
import { createServices, setServices } from "../composition/services.js";
import { tracer } from "../observability.js";
import { apiEvent } from "../../test/support/apiEvent.js";
import { httpHandler } from "./httpHandler.js";

const SRC = resolve(import.meta.dirname, "..");
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });

const CLIENT_ID = "app-client";
const event = apiEvent({ method: "GET", path: "/users/me", claims: { sub: "user-1", client_id: CLIENT_ID } });
const context = { functionName: "getMe", awsRequestId: "req-1", getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

afterEach(() => {
  vi.restoreAllMocks();
  setServices(undefined);
});

describe("tracing never records response bodies", () => {
  it("the HTTP wrapper, with tracing on, adds no response metadata", async () => {
    setServices(createServices({ ...configFromEnv({ STAGE: "test" }), appClientId: CLIENT_ID }));
    vi.spyOn(tracer, "isTracingEnabled").mockReturnValue(true);
    vi.spyOn(tracer, "getSegment").mockReturnValue(undefined);
    vi.spyOn(tracer, "annotateColdStart").mockImplementation(() => undefined);
    vi.spyOn(tracer, "addServiceNameAnnotation").mockImplementation(() => undefined);
    const recorded = vi.spyOn(tracer, "addResponseAsMetadata").mockImplementation(() => undefined);
    const handler = httpHandler(async () => ({ statusCode: 200, body: { email: "someone@example.com" } }), { uses: {} });

    const response = await handler(event, context);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("someone@example.com");
    expect(recorded).not.toHaveBeenCalled();
  });

  it("every captureLambdaHandler call in src/ turns response capture off", () => {
    const calls = sourceFiles(SRC).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/captureLambdaHandler\(([^)]*)\)/g)].map((m) => ({ file, args: m[1] ?? "" })),
    );
    // The HTTP wrapper and the one entry of every other function (src/handlers/lambdaEntry.ts).
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) expect(call.args, call.file).toMatch(/captureResponse: false/);
  });
});

describe("SDK clients are traced as subsegments", () => {
  it("the DynamoDB client goes through tracer.captureAWSv3Client", () => {
    const capture = vi.spyOn(tracer, "captureAWSv3Client");
    const client = createDynamoClient({ region: "us-east-1" });
    expect(capture).toHaveBeenCalledWith(client);
  });

  it("every SDK client an adapter creates is wrapped with traced()", () => {
    const constructions = sourceFiles(join(SRC, "adapters")).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => /new [\w.]*Client\(/.test(line))
        .map((line) => ({ file, line })),
    );
    expect(constructions.length).toBeGreaterThanOrEqual(6);
    for (const { file, line } of constructions) expect(line, file).toMatch(/traced\(new [\w.]*Client\(/);
  });

  it("is harmless with tracing off: the client comes back as it was", () => {
    expect(tracer.isTracingEnabled()).toBe(false);
    const capture = vi.spyOn(tracer, "captureAWSv3Client");
    const client = createDynamoClient({ region: "us-east-1" });
    expect(capture).toHaveReturnedWith(client);
  });
});
