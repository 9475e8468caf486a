import * as z from "zod/mini";
import { ACTIVITY_PAGE_MAX } from "../../domain/activity.js";
import "./zod.js";

const LIMIT_MESSAGE = `Must be a whole number from 1 to ${ACTIVITY_PAGE_MAX}`;

/** GET .../activity?limit=&cursor=: limit a whole number from 1 to 100 (default 20). */
export const activityQuery = z.object({
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,3}$/, { error: LIMIT_MESSAGE, abort: true })), z.transform(Number)),
      z.int().check(z.minimum(1, LIMIT_MESSAGE), z.maximum(ACTIVITY_PAGE_MAX, LIMIT_MESSAGE)),
    ),
  ),
  /** Checked where it is verified (activityCursors): every bad cursor gets the same 400 "Invalid cursor". */
  cursor: z.optional(z.string()),
});
