import * as z from "zod/mini";
import { ValidationError } from "../../domain/errors.js";
import { validate } from "../validate.js";
import { activityQuery } from "./activitySchemas.js";
import { findUsersQuery } from "./profileSchemas.js";
import "./zod.js";

/** GET /admin/users?status=suspended|deleted&limit=&cursor=: the admin listing (SPEC 12.8). */
export const listUsersQuery = z.extend(activityQuery, {
  status: z.enum(["suspended", "deleted"], "Must be suspended or deleted"),
});

export type AdminUsersQuery = z.output<typeof findUsersQuery> | z.output<typeof listUsersQuery>;

/**
 * GET /admin/users is one route for two questions: `?email=` (the lookup) or `?status=` (the
 * listing). Both at once is a 400; neither is the lookup's own 400 (email is required).
 */
export function adminUsersQueryOf(query: Record<string, string | undefined>): AdminUsersQuery {
  if (query.status !== undefined && query.email !== undefined) {
    throw new ValidationError("Request validation failed", [{ field: "status", message: "Give either email or status, not both" }]);
  }
  return query.status !== undefined ? validate(listUsersQuery, query) : validate(findUsersQuery, query);
}
