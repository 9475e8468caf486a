import type { HttpRoute } from "../lambda/serverlessFunctions.js";

export interface RouteMatch {
  route: HttpRoute;
  pathParameters: Record<string, string> | null;
}

export type Lookup =
  | { kind: "found"; match: RouteMatch }
  /** The path is a resource, but not with this method: the methods it has. */
  | { kind: "method-not-allowed"; allowed: string[]; resource: HttpRoute[] }
  | { kind: "not-found" };

interface CompiledResource {
  resource: string;
  pattern: RegExp;
  names: string[];
  staticSegments: number;
  routes: HttpRoute[];
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function compile(resource: string, routes: HttpRoute[]): CompiledResource {
  const names: string[] = [];
  let staticSegments = 0;
  const source = resource
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!param?.[1]) {
        if (segment) staticSegments += 1;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      names.push(param[1]);
      return param[2] ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { resource, pattern: new RegExp(`^${source}$`), names, staticSegments, routes };
}

/**
 * API Gateway's resource matching over the routes of serverless.yml: the most specific resource
 * (most literal segments) wins, path parameters arrive URL-decoded.
 */
export function routeTable(routes: HttpRoute[]) {
  const byResource = new Map<string, HttpRoute[]>();
  for (const route of routes) byResource.set(route.resource, [...(byResource.get(route.resource) ?? []), route]);
  const resources = [...byResource].map(([resource, list]) => compile(resource, list));
  resources.sort((a, b) => b.staticSegments - a.staticSegments);

  return (method: string, rawPath: string): Lookup => {
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, "") : rawPath;
    for (const resource of resources) {
      const found = resource.pattern.exec(path);
      if (!found) continue;
      const route = resource.routes.find((r) => r.method === method || r.method === "ANY");
      if (!route) {
        return { kind: "method-not-allowed", allowed: resource.routes.map((r) => r.method), resource: resource.routes };
      }
      const values = found.slice(1).map(safeDecode);
      if (values.includes(undefined)) return { kind: "not-found" };
      const pathParameters = resource.names.length
        ? Object.fromEntries(resource.names.map((name, i) => [name, values[i] ?? ""]))
        : null;
      return { kind: "found", match: { route, pathParameters } };
    }
    return { kind: "not-found" };
  };
}
