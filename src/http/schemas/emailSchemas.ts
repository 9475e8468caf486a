import { MAX_EMAIL_LENGTH } from "../../domain/email.js";
import * as z from "zod/mini";
import "./zod.js";

/** An address as clients send it: trimmed, then checked for length and shape. */
export const emailAddress = z.pipe(
  z.string({ error: "Must be a string" }).check(z.trim(), z.maxLength(MAX_EMAIL_LENGTH, { error: `Must be at most ${MAX_EMAIL_LENGTH} characters` })),
  z.email({ error: "Must be a valid email address" }),
);

export const addEmailBody = z.strictObject({ email: emailAddress });

export const confirmVerificationBody = z.strictObject({
  code: z.string({ error: "Must be a string" }).check(z.regex(/^\d{6}$/, { error: "Must be 6 digits" })),
});

/** POST .../verify takes no input: an empty body, or an empty JSON object. */
export const sendVerificationBody = z.optional(z.strictObject({}));

export { emailIdOf } from "./emailIdParam.js";
