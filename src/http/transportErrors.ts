/**
 * Errors of the transport, not of the domain: how a request arrived (its body, its size, its
 * Idempotency-Key), raised by src/http alone. Their statuses sit in the one table of
 * ./errorResponse.ts beside the domain's.
 */
export abstract class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The JSON body cannot be parsed (400). */
export class MalformedBodyError extends TransportError {
  constructor() {
    super("Request body is not valid JSON");
  }
}

/** The body exceeds the size limit (413). */
export class PayloadTooLargeError extends TransportError {
  constructor(limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
  }
}

/** Idempotency-Key reused with another body (422). */
export class IdempotencyKeyMismatchError extends TransportError {
  constructor() {
    super("Idempotency-Key was already used with a different request");
  }
}

/** A request with this Idempotency-Key is still being processed (409). */
export class IdempotencyInProgressError extends TransportError {
  constructor() {
    super("A request with this Idempotency-Key is already in progress");
  }
}
