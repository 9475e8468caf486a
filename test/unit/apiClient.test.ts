import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { API_ROUTES, api, type ApiRoute } from "../support/apiClient.js";

const ROOT = resolve(import.meta.dirname, "../..");
const routes = readServerlessFunctions(ROOT).flatMap((fn) => fn.routes);

describe("the route tests' API client", () => {
  it("names every route of serverless.yml, and no other", () => {
    expect(Object.keys(API_ROUTES).sort()).toEqual(routes.map((r) => `${r.method} ${r.resource}`).sort());
  });

  it("runs the handler serverless.yml names for each route", async () => {
    for (const route of routes) {
      const module = (await import(route.handler.file)) as Record<string, unknown>;
      expect(API_ROUTES[`${route.method} ${route.resource}` as ApiRoute], `${route.method} ${route.resource}`).toBe(module[route.handler.exportName]);
    }
  });

  it("refuses a call whose parameters are not the route's", async () => {
    await expect(api("GET /admin/users/{userId}", {})).rejects.toThrow("takes the parameters {userId}");
    await expect(api("GET /users/me", { params: { userId: "u" } })).rejects.toThrow("takes the parameters {}");
  });
});
