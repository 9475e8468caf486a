import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { EVENT_SOURCE, EVENT_TYPES } from "../src/domain/events.js";
import { eventDetailSchemas } from "../src/domain/eventSchemas.js";

/** Where the committed schemas live: the input of the EventBridge schema registry and of contract tests. */
export const EVENT_SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas", "events");

/** The registry takes JSON Schema draft-04 (its `JSONSchemaDraft4` type) or OpenAPI 3, nothing newer. */
export const EVENT_SCHEMA_DIALECT = "http://json-schema.org/draft-04/schema#";

/** File name -> content of every event's detail schema, generated from the zod schemas. */
export function eventSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const detailType of EVENT_TYPES) {
    const generated = z.toJSONSchema(eventDetailSchemas[detailType], { target: "draft-04" });
    if (generated.$schema !== EVENT_SCHEMA_DIALECT) throw new Error(`zod emitted ${generated.$schema} for ${detailType}`);
    const schema = {
      $schema: EVENT_SCHEMA_DIALECT,
      // Draft-04 names the identifier `id`; `$id` only arrived in draft-06.
      id: `https://schemas.user-service/events/${detailType}.json`,
      title: detailType,
      description: `detail of the "${detailType}" event published with source "${EVENT_SOURCE}"`,
      ...generated,
    };
    files.set(`${detailType}.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}

function writeEventSchemas(dir = EVENT_SCHEMA_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const files = eventSchemaFiles();
  // A removed event type must not leave its old schema behind.
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".json") && !files.has(name)) rmSync(join(dir, name));
  }
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  return [...files.keys()];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = writeEventSchemas();
  console.log(`Wrote ${written.length} schemas to ${EVENT_SCHEMA_DIR}`);
}
