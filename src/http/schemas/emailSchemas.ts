import { z } from "zod";
import { MAX_EMAIL_LENGTH } from "../../domain/email.js";
import { NotFoundError } from "../../domain/errors.js";

/** An address as clients send it: trimmed, then checked for length and shape. */
export const emailAddress = z
  .string({ error: "Must be a string" })
  .trim()
  .max(MAX_EMAIL_LENGTH, { error: `Must be at most ${MAX_EMAIL_LENGTH} characters` })
  .pipe(z.email({ error: "Must be a valid email address" }));

export const addEmailBody = z.strictObject({ email: emailAddress });

export const confirmVerificationBody = z.strictObject({
  code: z.string({ error: "Must be a string" }).regex(/^\d{6}$/, { error: "Must be 6 digits" }),
});

/** POST .../verify takes no input: an empty body, or an empty JSON object. */
export const sendVerificationBody = z.strictObject({}).optional();

/** Path ids are opaque; anything unusable is answered like an unknown id (404), never 400. */
const emailIdParam = z.string().min(1).max(128);

/** The `{emailId}` path parameter; an unusable one is "not found", like any id not the caller's. */
export function emailIdOf(pathParameters: Record<string, string | undefined>): string {
  const parsed = emailIdParam.safeParse(pathParameters.emailId);
  if (!parsed.success) throw new NotFoundError("Email");
  return parsed.data;
}
