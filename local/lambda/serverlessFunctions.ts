import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ScalarTag, type CollectionTag } from "yaml";

/** One `http` event of a function in serverless.yml, as the local gateway serves it. */
export interface HttpRoute {
  functionName: string;
  method: string;
  /** The API Gateway resource path, e.g. /users/me/emails/{emailId}. */
  resource: string;
  handler: HandlerRef;
  /** Scopes the Cognito authorizer demands; undefined when the route has no authorizer. */
  authorizerScopes?: string[];
  /** Request headers the CORS preflight allows; undefined when the route has no `cors`. */
  corsHeaders?: string[];
}

/** `src/handlers/http/getMe.handler` split into the module file and its export. */
export interface HandlerRef {
  file: string;
  exportName: string;
  /** The file as serverless.yml names it, from the service root (`src/handlers/http/getMe.ts`). */
  relativePath: string;
}

export interface ServerlessFunction {
  name: string;
  handler: HandlerRef;
  routes: HttpRoute[];
}

// CloudFormation short forms appear in serverless.yml; keep them as the long form objects.
const intrinsic = (name: string, key: string): (ScalarTag | CollectionTag)[] => [
  { tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) },
  { tag: `!${name}`, collection: "seq", resolve: (seq) => ({ [key]: seq.toJSON() }) },
];
const CFN_TAGS = [
  ...intrinsic("Ref", "Ref"),
  ...intrinsic("GetAtt", "Fn::GetAtt"),
  ...intrinsic("Sub", "Fn::Sub"),
  ...intrinsic("Join", "Fn::Join"),
  ...intrinsic("ImportValue", "Fn::ImportValue"),
  ...intrinsic("Select", "Fn::Select"),
  ...intrinsic("Split", "Fn::Split"),
  ...intrinsic("If", "Fn::If"),
  ...intrinsic("Equals", "Fn::Equals"),
];

type Doc = Record<string, unknown>;

/** Serverless Framework's default allowed headers for `cors: true`. */
const DEFAULT_CORS_HEADERS = ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent"];

/** Resolves a whole-value `${self:a.b}` reference (the only kind the route table uses). */
function resolveSelf(value: unknown, doc: Doc): unknown {
  if (typeof value !== "string") return value;
  const match = /^\$\{self:([\w.]+)\}$/.exec(value);
  if (!match?.[1]) return value;
  let current: unknown = doc;
  for (const key of match[1].split(".")) {
    current = current && typeof current === "object" ? (current as Doc)[key] : undefined;
  }
  return current;
}

function parseHandlerRef(handler: string, root: string): HandlerRef {
  const dot = handler.lastIndexOf(".");
  const relativePath = `${handler.slice(0, dot)}.ts`;
  return { file: join(root, relativePath), exportName: handler.slice(dot + 1), relativePath };
}

/** Every function of serverless.yml with its http routes: the single source of the route table. */
export function readServerlessFunctions(root: string, file = "serverless.yml"): ServerlessFunction[] {
  const doc = parse(readFileSync(join(root, file), "utf8"), { customTags: CFN_TAGS }) as Doc;
  const functions = (doc.functions ?? {}) as Record<string, { handler: string; events?: Doc[] }>;
  return Object.entries(functions).map(([name, fn]) => {
    const handler = parseHandlerRef(fn.handler, root);
    const routes: HttpRoute[] = [];
    for (const event of fn.events ?? []) {
      const http = event.http as Doc | undefined;
      if (!http) continue;
      const authorizer = resolveSelf(http.authorizer, doc) as { scopes?: string[] } | undefined;
      const cors = resolveSelf(http.cors, doc) as { headers?: string[] } | boolean | undefined;
      const path = String(http.path);
      routes.push({
        functionName: name,
        method: String(http.method).toUpperCase(),
        resource: path.startsWith("/") ? path : `/${path}`,
        handler,
        ...(authorizer ? { authorizerScopes: authorizer.scopes ?? [] } : {}),
        ...(cors ? { corsHeaders: typeof cors === "object" && cors.headers ? cors.headers : DEFAULT_CORS_HEADERS } : {}),
      });
    }
    return { name, handler, routes };
  });
}

export const httpRoutesOf = (functions: ServerlessFunction[]): HttpRoute[] => functions.flatMap((f) => f.routes);
