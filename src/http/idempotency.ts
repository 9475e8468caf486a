import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { keys } from "../adapters/dynamodb/keys.js";
import { ValidationError } from "../domain/errors.js";
import { IdempotencyInProgressError, IdempotencyKeyMismatchError } from "./transportErrors.js";
import type { ServiceGraph } from "../composition/services.js";
import type { Route } from "./httpHandler.js";
import type { HttpResult } from "./response.js";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** A retried request within a day gets the first answer back. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** What Powertools hashes: `key` names the record, `request` must match on a replay. */
interface IdempotentCall {
  key: { userId: string; route: string; idempotencyKey: string };
  request: { pathParameters: Record<string, string | undefined>; body: unknown };
}

/**
 * Makes a POST route honour the Idempotency-Key header with Powertools idempotency. Records are
 * per caller (their own partition) and per route, so one user's key never answers another's
 * request. Only successful responses are kept: a refused request may be retried with the same
 * key. Requests without the header run as usual.
 */
export function idempotent<S extends Pick<ServiceGraph, "idempotencyStore">>(routeName: string, route: Route<S>): Route<S> {
  return async (req, services) => {
    const idempotencyKey = req.header(IDEMPOTENCY_HEADER);
    if (idempotencyKey === undefined) return route(req, services);
    if (!KEY_FORMAT.test(idempotencyKey)) {
      throw new ValidationError("Request validation failed", [
        { field: IDEMPOTENCY_HEADER, message: "Must be 1 to 255 visible ASCII characters" },
      ]);
    }
    const config = new IdempotencyConfig({
      eventKeyJmesPath: "key",
      payloadValidationJmesPath: "request",
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
      // A replay says so, which helps a client (and an operator) tell a retry from a first answer.
      responseHook: (response) => {
        const first = response as unknown as HttpResult;
        return { ...first, headers: { ...first.headers, "Idempotent-Replayed": "true" } } as unknown as typeof response;
      },
    });
    config.registerLambdaContext(req.lambdaContext);
    const run = makeIdempotent(
      // Stored as JSON: a round trip drops undefined fields DynamoDB cannot hold.
      async (_call: IdempotentCall): Promise<HttpResult> => JSON.parse(JSON.stringify(await route(req, services))),
      {
        persistenceStore: services.idempotencyStore(keys.idempotencyPartition(req.caller.userId)),
        config,
        keyPrefix: routeName,
      },
    );
    try {
      return await run({
        key: { userId: req.caller.userId, route: routeName, idempotencyKey },
        request: { pathParameters: req.pathParameters, body: req.body ?? null },
      });
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyMismatchError();
      if (error instanceof IdempotencyAlreadyInProgressError) throw new IdempotencyInProgressError();
      throw error;
    }
  };
}
