import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * What the local gateway knows of a request, by API Gateway's `$context` variable name
 * (`requestId`, `identity.sourceIp`, `authorizer.claims.sub`, ...).
 */
export type AccessLogContext = Record<string, string | number | undefined>;

/** serverless.yml's `provider.logs.restApi.format`: the access log line API Gateway writes in AWS. */
export function accessLogFormat(root: string, file = "serverless.yml"): string {
  // CloudFormation tags (!Ref, !Sub) elsewhere in the file are left unresolved: only the format is read.
  const doc = parse(readFileSync(join(root, file), "utf8"), { logLevel: "error" }) as {
    provider?: { logs?: { restApi?: { format?: unknown } } };
  };
  const format = doc.provider?.logs?.restApi?.format;
  if (typeof format !== "string") throw new Error(`${file} has no provider.logs.restApi.format`);
  return format;
}

const VARIABLE = /\$context\.[A-Za-z0-9_.-]*[A-Za-z0-9_]/g;

/**
 * The access log line for one request: the template's format with each `$context` variable
 * replaced, and "-" for one that is empty or that the local gateway does not have, as API
 * Gateway writes it (for a proxy integration `$context.requestOverride.*` is always "-").
 */
export function accessLogLine(format: string, context: AccessLogContext): string {
  return format.replace(VARIABLE, (variable) => {
    const value = context[variable.slice("$context.".length)];
    const text = value === undefined || value === "" ? "-" : String(value);
    // The format is JSON: a value is written as the inside of a JSON string.
    return JSON.stringify(text).slice(1, -1);
  });
}

/** Which `$context` variable each field of a JSON format holds (`{requestId: "requestId", ...}`). */
export function accessLogFields(format: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(JSON.parse(format) as Record<string, unknown>)) {
    const match = typeof value === "string" ? /^\$context\.(.+)$/.exec(value) : null;
    if (match?.[1]) fields[field] = match[1];
  }
  return fields;
}
