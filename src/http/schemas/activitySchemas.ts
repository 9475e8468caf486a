import { z } from "zod";
import { ACTIVITY_PAGE_MAX } from "../../domain/activity.js";

/** GET .../activity?limit=&cursor=: limit a whole number from 1 to 100 (default 20). */
export const activityQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: `Must be a whole number from 1 to ${ACTIVITY_PAGE_MAX}`, abort: true })
    .transform(Number)
    .pipe(z.number().int().min(1, `Must be a whole number from 1 to ${ACTIVITY_PAGE_MAX}`).max(ACTIVITY_PAGE_MAX, `Must be a whole number from 1 to ${ACTIVITY_PAGE_MAX}`))
    .optional(),
  /** Checked where it is verified (activityCursors): every bad cursor gets the same 400 "Invalid cursor". */
  cursor: z.string().optional(),
});
