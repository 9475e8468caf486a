import { MAX_EMAIL_LENGTH } from "../../domain/email.js";
import * as z from "zod/mini";
import "./zod.js";

const NAME = /^[\p{L}\p{M} '-]{1,100}$/u;
const E164 = /^\+[1-9]\d{1,14}$/;

const personName = z.string().check(
  z.regex(NAME, { error: "Must be 1-100 letters, spaces, hyphens or apostrophes", abort: true }),
  z.refine((value) => value.trim().length > 0, "Must not be blank"),
);

/** PUT /users/me: a partial update; `phone: null` clears the phone. */
export const updateProfileBody = z
  .strictObject({
    firstName: z.optional(personName),
    lastName: z.optional(personName),
    phone: z.optional(z.nullable(z.string().check(z.regex(E164, "Must be an E.164 number such as +14155550123")))),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, "At least one of firstName, lastName, phone is required"));

/** POST /admin/users/{userId}/suspend */
export const suspendUserBody = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1, "Reason is required"), z.maxLength(500, "At most 500 characters")),
});

/** GET /admin/users?email= */
export const findUsersQuery = z.object({
  email: z.pipe(
    z.string({ error: "Query parameter email is required" }).check(z.trim(), z.maxLength(MAX_EMAIL_LENGTH)),
    z.email("Must be a valid email address"),
  ),
});

/** A path id: present, and short enough to be a key. */
export const userIdParam = z.object({ userId: z.string().check(z.minLength(1), z.maxLength(128)) });

/** POST /admin/users/{userId}/reactivate: no body, or an empty object. */
export const reactivateUserBody = z.optional(z.strictObject({}));
