import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import type AjvDraft04 from "ajv-draft-04";
import type { FormatsPlugin } from "ajv-formats";
import { EVENT_SCHEMA_DIR } from "../../scripts/generateEventSchemas.js";

// Both are CommonJS; required directly, their typings match what Node loads.
const require = createRequire(import.meta.url);
const Ajv = require("ajv-draft-04") as typeof AjvDraft04.default;
const addFormats = require("ajv-formats") as FormatsPlugin;

let validators: Map<string, ValidateFunction> | undefined;

/** Validators over the COMMITTED schema files, so a test proves what consumers were promised. */
function committedValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  // The registry's dialect, strict: an unknown keyword or format fails to compile instead of being ignored.
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  validators = new Map();
  for (const file of readdirSync(EVENT_SCHEMA_DIR).filter((name) => name.endsWith(".json"))) {
    const schema = JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, file), "utf8")) as object;
    validators.set(file.slice(0, -".json".length), ajv.compile(schema));
  }
  return validators;
}

/** Throws, naming every violation, unless `detail` matches the committed schema of `detailType`. */
export function assertValidEvent(detailType: string, detail: unknown): void {
  const validate = committedValidators().get(detailType);
  if (!validate) throw new Error(`No committed JSON Schema for detail-type "${detailType}"`);
  if (validate(detail)) return;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`.trim());
  throw new Error(`${detailType} detail does not match its schema: ${problems.join("; ")}\n${JSON.stringify(detail)}`);
}
