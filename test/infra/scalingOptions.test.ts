import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { tableDefinition } from "../../src/adapters/dynamodb/tableDefinition.js";
import { readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { cachedPackage } from "../../scripts/packageCache.js";
import { readTemplate, resourcesOfType, type CfnTemplate } from "./support/template.js";
import { first, local, readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

/** The seed's scaling rows in code (issue 11 item 7): hot-key monitoring, provisioned concurrency, B2B usage plans. */
const ROOT = resolve(import.meta.dirname, "../..");
type Template = CfnTemplate;
const plugin = createRequire(import.meta.url)(resolve(ROOT, "scripts/scalingOptions.cjs")) as {
  applyProvisionedConcurrency: (template: Template, settings: Record<string, unknown>, logicalId: (name: string) => string) => void;
  applyApiKeys: (template: Template, settings: Record<string, unknown>) => void;
};
const logicalId = (fn: string) => `${fn[0]?.toUpperCase()}${fn.slice(1)}LambdaFunction`;
const yml = parse(readFileSync(resolve(ROOT, "serverless.yml"), "utf8"), { logLevel: "error" }) as {
  plugins: string[];
  custom: { provisionedConcurrency: Record<string, Record<string, number>>; apiKeys: Record<string, { required: boolean }>; gradualDeploys: { stages: string[] } };
};
const clone = (template: Template): Template => structuredClone(template);
const methods = (template: Template) => resourcesOfType(template, "AWS::ApiGateway::Method").map(([, r]) => r.Properties ?? {});

let tf: TerraformConfig;
let prod: Template;
let ci: Template;
beforeAll(async () => {
  tf = await readTerraform();
  prod = readTemplate((await cachedPackage({ stage: "prod" })).packageDir);
  ci = readTemplate(inject("packageDir"));
}, 300_000);

describe("DynamoDB Contributor Insights (hot keys)", () => {
  it("is on for the table and for GSI1, an index the table has", () => {
    expect(resource(tf, "aws_dynamodb_contributor_insights", "table")).toEqual({ table_name: "${aws_dynamodb_table.user_service.name}" });
    expect(resource(tf, "aws_dynamodb_contributor_insights", "gsi1")).toEqual({ table_name: "${aws_dynamodb_table.user_service.name}", index_name: "GSI1" });
    expect(tableDefinition("any").GlobalSecondaryIndexes?.map((i) => i.IndexName)).toContain("GSI1");
  });
});

describe("provisioned concurrency, per stage, off by default", () => {
  it("is a per-stage map in serverless.yml, empty, applied after the gradual deploys' aliases exist", () => {
    for (const functions of Object.values(yml.custom.provisionedConcurrency)) expect(functions).toEqual({});
    expect(yml.plugins.indexOf("./scripts/scalingOptions.cjs")).toBeGreaterThan(yml.plugins.indexOf("./scripts/gradualDeploys.cjs"));
    expect(JSON.stringify(prod)).not.toContain("ProvisionedConcurrencyConfig");
    expect(readFileSync(resolve(ROOT, "serverless.yml"), "utf8")).not.toMatch(/^\s+provisionedConcurrency: \d/m); // not the framework's own alias
  });

  it("when set, warms the live alias API Gateway calls", () => {
    const template = clone(prod);
    plugin.applyProvisionedConcurrency(template, { getMe: 5, updateMe: 0 }, logicalId);
    const alias = template.Resources.GetMeLambdaFunctionAlias;
    expect(alias?.Properties).toMatchObject({ Name: "live", ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 } });
    expect(template.Resources.UpdateMeLambdaFunctionAlias?.Properties?.ProvisionedConcurrencyConfig).toBeUndefined();
    const getMe = methods(template).find((m) => JSON.stringify(m.Integration).includes('"Ref":"GetMeLambdaFunctionAlias"'));
    expect(getMe?.HttpMethod).toBe("GET");
  });

  it("refuses a function without the live alias (another stage, a function without a route) and a bad count", () => {
    expect(yml.custom.gradualDeploys.stages).not.toContain("ci");
    expect(() => plugin.applyProvisionedConcurrency(clone(ci), { getMe: 5 }, logicalId)).toThrow(/getMe has no live alias/);
    const background = readServerlessFunctions(ROOT).find((f) => f.routes.length === 0)?.name ?? "";
    expect(() => plugin.applyProvisionedConcurrency(clone(prod), { [background]: 1 }, logicalId)).toThrow(`${background} has no live alias`);
    expect(() => plugin.applyProvisionedConcurrency(clone(prod), { getMe: 2.5 }, logicalId)).toThrow(/whole number/);
  });
});

describe("API keys and usage plans for B2B clients, off by default", () => {
  it("requires no key anywhere unless a stage turns it on", () => {
    for (const settings of Object.values(yml.custom.apiKeys)) expect(settings.required).toBe(false);
    for (const template of [prod, ci]) for (const method of methods(template)) expect(method.ApiKeyRequired ?? false).toBe(false);
  });

  it("when required, every method but the CORS preflights needs a key", () => {
    const template = clone(ci);
    plugin.applyApiKeys(template, { required: true });
    const all = methods(template);
    const routes = readServerlessFunctions(ROOT).flatMap((f) => f.routes);
    expect(all.filter((m) => m.ApiKeyRequired === true)).toHaveLength(routes.length);
    for (const method of all.filter((m) => m.HttpMethod === "OPTIONS")) expect(method.ApiKeyRequired ?? false).toBe(false);
    expect(() => plugin.applyApiKeys(clone(ci), { required: "yes" })).toThrow(/true or false/);
  });

  it("gives each client of api_clients a key and a usage plan on the stage with its limits; none by default", () => {
    expect(tf.variable.api_clients?.[0]?.default).toEqual({});
    expect(local(tf, "api_client_plans")).toBe("${var.api_deployed ? var.api_clients : {}}");
    const plan = resource(tf, "aws_api_gateway_usage_plan", "clients");
    expect(plan.for_each).toBe("${local.api_client_plans}");
    expect(first(plan.api_stages)).toEqual({ api_id: "${local.rest_api_id}", stage: "${var.stage}" });
    expect(first(plan.throttle_settings)).toEqual({ rate_limit: "${each.value.rate_limit}", burst_limit: "${each.value.burst_limit}" });
    expect(resource(tf, "aws_api_gateway_api_key", "clients").for_each).toBe("${var.api_clients}");
    expect(resource(tf, "aws_api_gateway_usage_plan_key", "clients")).toMatchObject({
      key_type: "API_KEY",
      key_id: "${aws_api_gateway_api_key.clients[each.key].id}",
      usage_plan_id: "${aws_api_gateway_usage_plan.clients[each.key].id}",
    });
  });
});
