import { NotFoundError } from "../../domain/errors.js";

/** Path ids are opaque and short enough to be a key. */
const MAX_ID_LENGTH = 128;

/**
 * The `{emailId}` path parameter; an unusable one is "not found" (404, never 400), like any id not
 * the caller's. Plain code, no zod: a function that reads only this id does not load zod.
 */
export function emailIdOf(pathParameters: Record<string, string | undefined>): string {
  const id = pathParameters.emailId;
  if (typeof id !== "string" || id.length < 1 || id.length > MAX_ID_LENGTH) throw new NotFoundError("Email");
  return id;
}
