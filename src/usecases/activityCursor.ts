import { timingSafeEqual } from "node:crypto";
import * as z from "zod/mini";
import type { ActivityPosition } from "../domain/activity.js";
import { ValidationError } from "../domain/errors.js";
import type { KeyedHasher } from "../ports/keyedHasher.js";

/** The purpose label of the cursor's keyed digest: no digest of another use can stand for one. */
const PURPOSE = "activity-cursor:v1:";

/** Cursors longer than this are refused before any work (a position fits in far less). */
export const MAX_CURSOR_LENGTH = 512;

/** A cursor that was altered, cut short, made by another deployment or for another user's listing (400). */
export class InvalidCursorError extends ValidationError {
  constructor() {
    super("Invalid cursor", [{ field: "cursor", message: "Invalid cursor" }]);
  }
}

// zod/mini, like the request schemas: classic zod's load time is most of a function's budget.
const payloadSchema = z.strictObject({
  u: z.string().check(z.minLength(1)),
  at: z.iso.datetime(),
  id: z.string().check(z.minLength(1)),
});

/**
 * Opaque listing cursors: `base64url(JSON {u, at, id}) "." base64url(HMAC)`. The payload is the
 * position the next page starts after (the key of the last item served) and the userId whose
 * listing it belongs to; the HMAC (the service's keyed hasher, purpose-labelled) covers both, so
 * a cursor cannot be edited to start elsewhere or replayed against another user's listing.
 */
export function activityCursors(hasher: KeyedHasher) {
  const sign = async (body: string) => Buffer.from(await hasher.digest(PURPOSE + body), "hex").toString("base64url");

  return {
    async encode(userId: string, position: ActivityPosition): Promise<string> {
      const body = Buffer.from(JSON.stringify({ u: userId, at: position.occurredAt, id: position.activityId })).toString(
        "base64url",
      );
      return `${body}.${await sign(body)}`;
    },

    /** The position a cursor names, if it is one this service signed for `userId`'s listing. */
    async decode(userId: string, cursor: string): Promise<ActivityPosition> {
      if (cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError();
      const [body, signature, ...rest] = cursor.split(".");
      if (!body || !signature || rest.length > 0) throw new InvalidCursorError();
      const expected = Buffer.from(await sign(body), "base64url");
      const given = Buffer.from(signature, "base64url");
      // Canonical base64url only: a signature with other characters or padding is not the one issued.
      if (given.toString("base64url") !== signature) throw new InvalidCursorError();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
      const payload = parsePayload(body);
      if (!payload || payload.u !== userId) throw new InvalidCursorError();
      return { occurredAt: payload.at, activityId: payload.id };
    },
  };
}

function parsePayload(body: string): z.infer<typeof payloadSchema> | undefined {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
