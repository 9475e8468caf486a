import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { httpRoutesOf, readServerlessFunctions } from "../lambda/serverlessFunctions.js";
import { routeTable } from "./routeTable.js";

const functions = readServerlessFunctions(process.cwd());
const routes = httpRoutesOf(functions);
const lookup = routeTable(routes);

describe("the gateway's route table is serverless.yml's", () => {
  it("serves every http event of serverless.yml, each behind the Cognito authorizer with the admin scope but the two public link routes", () => {
    expect(routes.length).toBeGreaterThan(0);
    const PUBLIC = ["POST /account/restore", "POST /account/revert"];
    for (const route of routes) {
      const concrete = route.resource.replace(/\{(\w+)\}/g, "value-of-$1");
      const found = lookup(route.method, concrete);
      expect(found.kind === "found" && found.match.route).toBe(route);
      const isPublic = PUBLIC.includes(`${route.method} ${route.resource}`);
      expect(route.authorizerScopes, `${route.method} ${route.resource}`).toEqual(isPublic ? undefined : ["aws.cognito.signin.user.admin"]);
      expect(existsSync(route.handler.file), route.handler.file).toBe(true);
    }
  });

  it("decodes path parameters and prefers literal segments", () => {
    const found = lookup("GET", "/admin/users/a%40b");
    expect(found).toMatchObject({ kind: "found", match: { pathParameters: { userId: "a@b" } } });
    expect(lookup("GET", "/admin/users")).toMatchObject({ kind: "found", match: { pathParameters: null } });
  });

  it("answers unknown paths and methods as such", () => {
    expect(lookup("GET", "/nope")).toEqual({ kind: "not-found" });
    expect(lookup("DELETE", "/users/me/emails/%E0%A4%A")).toEqual({ kind: "not-found" });
    expect(lookup("PATCH", "/users/me")).toMatchObject({ kind: "method-not-allowed", allowed: ["GET", "PUT", "DELETE"] });
  });
});
