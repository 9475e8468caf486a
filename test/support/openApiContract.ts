import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import type Ajv2020 from "ajv/dist/2020.js";
import type { FormatsPlugin } from "ajv-formats";
import { parse } from "yaml";

// Both are CommonJS; required directly, their typings match what Node loads.
const require = createRequire(import.meta.url);
const Ajv = require("ajv/dist/2020") as typeof Ajv2020.default;
const addFormats = require("ajv-formats") as FormatsPlugin;

export const OPENAPI_FILE = join(resolve(import.meta.dirname, "../.."), "docs", "openapi.yaml");

type Schema = Record<string, unknown>;
interface Header {
  required?: boolean;
  schema?: Schema;
}
interface Response {
  headers?: Record<string, Header>;
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** Replaces every `#/components/...` reference by its target; the document has no recursive schema. */
function dereference(node: unknown, root: unknown, trail: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => dereference(item, root, trail));
  if (node === null || typeof node !== "object") return node;
  const { $ref, ...siblings } = node as Record<string, unknown>;
  if (typeof $ref === "string") {
    if (!$ref.startsWith("#/components/")) throw new Error(`Only local #/components/ references are supported: ${$ref}`);
    if (trail.includes($ref)) throw new Error(`Recursive reference: ${[...trail, $ref].join(" -> ")}`);
    const target = $ref
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], root);
    if (target === undefined) throw new Error(`Unresolved reference ${$ref}`);
    // Siblings of a reference (summary, description) only annotate it.
    return { ...(dereference(target, root, [...trail, $ref]) as object), ...siblings };
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, dereference(value, root, trail)]));
}

interface Contract {
  document: Document;
  operations: { method: string; template: string; pattern: RegExp; literalChars: number; operation: Operation }[];
  ajv: InstanceType<typeof Ajv2020.default>;
  validators: Map<string, ValidateFunction>;
}

let loaded: Contract | undefined;

function contract(): Contract {
  if (loaded) return loaded;
  const raw = parse(readFileSync(OPENAPI_FILE, "utf8")) as unknown;
  const document = dereference(raw, raw) as Document;
  closeObjects(document);
  const operations = Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+")}$`),
        literalChars: template.replace(/\{[^}]+\}/g, "").length,
        operation,
      })),
  );
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; strict, so a keyword ajv does not know fails loudly.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addVocabulary(["example", "xml", "externalDocs", "discriminator"]);
  loaded = { document, operations, ajv, validators: new Map() };
  return loaded;
}

/**
 * The contract's own rule on top of the document: a response carries no property the document does
 * not name (a leaked table attribute would otherwise pass), so every object schema that lists its
 * properties is treated as closed. The document itself stays open for additive change.
 */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (node === null || typeof node !== "object") return;
  const schema = node as Record<string, unknown>;
  const composed = "allOf" in schema || "anyOf" in schema || "oneOf" in schema;
  if (schema.properties && schema.additionalProperties === undefined && !composed) schema.additionalProperties = false;
  Object.values(schema).forEach(closeObjects);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function validatorFor(key: string, schema: Schema): ValidateFunction {
  const { ajv, validators } = contract();
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `  ${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`).join("\n");

function check(label: string, key: string, schema: Schema, value: unknown, shown: unknown = value): void {
  const validate = validatorFor(key, schema);
  if (!validate(value)) {
    throw new Error(`${label} does not match the OpenAPI document:\n${describeErrors(validate.errors)}\ngot: ${JSON.stringify(shown)}`);
  }
}

/** A header's text as its schema sees it: integers are sent as digits. */
function headerValue(text: string, schema: Schema | undefined): unknown {
  if (schema?.type === "integer" || schema?.type === "number") return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  return text;
}

export interface ObservedResponse {
  method: string;
  /** The concrete path called, e.g. /users/me/emails/abc (a query string is ignored). */
  path: string;
  status: number;
  body: unknown;
  headers: Headers;
}

/**
 * Throws unless the response is one the OpenAPI document promises: the operation exists, documents
 * this status (or `default`), the JSON body matches its schema, and every header it marks required
 * is present with a value its schema allows.
 */
export function assertMatchesOpenApi({ method, path, status, body, headers }: ObservedResponse): void {
  const pathname = path.split("?")[0] ?? path;
  const candidates = contract()
    .operations.filter((o) => o.method === method.toUpperCase() && o.pattern.test(pathname))
    .sort((a, b) => b.literalChars - a.literalChars);
  const found = candidates[0];
  if (!found) throw new Error(`The OpenAPI document has no operation for ${method.toUpperCase()} ${pathname}`);
  const label = `${found.method} ${found.template} (${found.operation.operationId}) ${status}`;
  const documented = Object.keys(found.operation.responses);
  const statusKey = documented.includes(String(status)) ? String(status) : documented.includes("default") ? "default" : undefined;
  if (!statusKey) throw new Error(`${label}: status ${status} is not documented (documented: ${documented.join(", ")})`);
  const response = found.operation.responses[statusKey] as Response;

  const schema = response.content?.["application/json"]?.schema;
  const key = `${found.method} ${found.template} ${statusKey}`;
  if (response.content && !schema) throw new Error(`${label}: only application/json responses can be checked`);
  if (schema) {
    if (body === undefined) throw new Error(`${label}: the document promises a JSON body, the response has none`);
    check(`${label} body`, key, schema, body);
    if (status >= 400) assertStatusInBody(label, status, body);
  } else if (body !== undefined) {
    throw new Error(`${label}: the document promises no body, the response has ${JSON.stringify(body)}`);
  }

  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const text = headers.get(name);
    if (text === null) {
      if (header.required) throw new Error(`${label}: required header ${name} is missing`);
      continue;
    }
    if (header.schema) check(`${label} header ${name}`, `${key} header ${name}`, header.schema, headerValue(text, header.schema), text);
  }
}

function assertStatusInBody(label: string, status: number, body: unknown): void {
  const inBody = (body as { statusCode?: unknown }).statusCode;
  if (inBody !== status) throw new Error(`${label}: error body says statusCode ${String(inBody)}`);
}

/**
 * For requests the document does not route (unknown paths and methods): it still promises its
 * Error body ("every error, including the gateway's own").
 */
export function assertErrorBodyMatchesOpenApi({ method, path, status, body }: Omit<ObservedResponse, "headers">): void {
  const label = `${method.toUpperCase()} ${path} ${status}`;
  if (status < 400) throw new Error(`${label}: expected an error status`);
  const schema = contract().document.components.schemas.Error;
  if (!schema) throw new Error("The OpenAPI document has no Error schema");
  check(`${label} body`, "#/components/schemas/Error", schema, body);
  assertStatusInBody(label, status, body);
}
