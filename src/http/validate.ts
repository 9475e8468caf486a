import { safeParse, type z } from "zod/mini";
import { ValidationError, type FieldIssue } from "../domain/errors.js";

/** Parses request input with a zod schema; any issue becomes a 400 with one detail per field. */
export function validate<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeParse(schema, input);
  if (result.success) return result.data;
  throw new ValidationError("Request validation failed", result.error.issues.flatMap(toFieldIssues));
}

function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = issue.path.map(String).join(".") || "body";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ field: field === "body" ? key : `${field}.${key}`, message: "Unknown field" }));
  }
  return [{ field, message: issue.message }];
}
