import type { Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiEvent } from "../../test/support/apiEvent.js";
import { writtenLines } from "../../test/support/writtenLines.js";
import { configFromEnv } from "../composition/config.js";
import { createServices, setServices } from "../composition/services.js";
import { NotFoundError } from "../domain/errors.js";
import { httpHandler, publicHttpHandler } from "./httpHandler.js";
import type { HttpResult } from "./response.js";

// The suites run with logging silenced; this file reads the lines, so the logger starts at INFO
// (Powertools' middleware puts the initial level back on each warm invocation).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
});

const lines = writtenLines();
beforeEach(() => {
  setServices(createServices({ ...configFromEnv({ STAGE: "test" }), appClientId: "test-client" }));
});
afterEach(() => {
  setServices(undefined);
});

const context = { functionName: "addEmail", awsRequestId: "aws-1", getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const SECRET_ADDRESS = "someone.private@example.com";
const request = (claims: boolean, correlationId = "corr-123") =>
  apiEvent({
    method: "POST",
    path: "/users/me/emails/e-1/verify",
    resource: "/users/me/emails/{emailId}/verify",
    pathParameters: { emailId: "e-1" },
    body: { email: SECRET_ADDRESS },
    headers: { "X-Correlation-Id": correlationId },
    ...(claims ? { claims: { sub: "user-42" } } : {}),
  });

const completed = () => lines().filter((line) => line.message === "Request completed");

describe("one 'Request completed' line per request", () => {
  const cases: [string, () => Promise<HttpResult>, number][] = [
    ["a success", async () => ({ statusCode: 201, body: { email: SECRET_ADDRESS } }), 201],
    ["a domain error (4xx)", async () => Promise.reject(new NotFoundError("Email")), 404],
    ["an unexpected error (5xx)", async () => Promise.reject(new Error(`boom for ${SECRET_ADDRESS}`)), 500],
  ];
  for (const [name, route, status] of cases) {
    it(`${name}: exactly one line with correlation id, request id, route, method, status, latency and user`, async () => {
      const event = request(true);
      const response = await httpHandler(route, { uses: {} })(event, context);

      expect(response.statusCode).toBe(status);
      expect(completed()).toHaveLength(1);
      expect(completed()[0]).toMatchObject({
        level: "INFO",
        correlationId: "corr-123",
        requestId: event.requestContext.requestId,
        route: "/users/me/emails/{emailId}/verify",
        method: "POST",
        status,
        userId: "user-42",
      });
      expect(completed()[0]?.latencyMs).toEqual(expect.any(Number));
    });
  }

  it("a 401 (no verified caller) writes its line too, without a user id", async () => {
    const response = await httpHandler(async () => ({ statusCode: 200, body: {} }), { uses: {} })(request(false), context);

    expect(response.statusCode).toBe(401);
    expect(completed()).toHaveLength(1);
    expect(completed()[0]).toMatchObject({ status: 401, correlationId: "corr-123", route: "/users/me/emails/{emailId}/verify" });
    expect(completed()[0]).not.toHaveProperty("userId");
  });

  it("a public route's line has no user id; without an incoming id the request id is the correlation id", async () => {
    const event = request(false, "not a valid id!");
    await publicHttpHandler(async () => ({ statusCode: 200, body: { message: "ok" } }), { uses: {} })(event, context);

    expect(completed()).toHaveLength(1);
    expect(completed()[0]).toMatchObject({ status: 200, correlationId: event.requestContext.requestId });
    expect(completed()[0]).not.toHaveProperty("userId");
  });

  it("no line holds the token, the body or an address; the keys do not leak into the next request", async () => {
    const handler = httpHandler(async () => ({ statusCode: 200, body: { email: SECRET_ADDRESS } }), { uses: {} });
    await handler(request(true, "first"), context);
    await handler(request(false, "second"), context);

    const text = JSON.stringify(lines());
    expect(text).not.toContain("test-token");
    expect(text).not.toContain(SECRET_ADDRESS);
    expect(completed().map((line) => [line.correlationId, line.userId])).toEqual([
      ["first", "user-42"],
      ["second", undefined],
    ]);
  });
});
