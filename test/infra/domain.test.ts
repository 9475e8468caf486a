import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { first, local, readTerraform, resource, TERRAFORM_DIR, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
let tf: TerraformConfig;
let outputs: Record<string, { value: string }[]>;
beforeAll(async () => {
  tf = await readTerraform();
  const parsed = (await parseHcl("outputs.tf", readFileSync(resolve(TERRAFORM_DIR, "outputs.tf"), "utf8"))) as {
    output: Record<string, { value: string }[]>;
  };
  outputs = parsed.output;
});

/** The variable's validation regex, as Terraform's RE2 reads it (same syntax as JS for this pattern). */
const domainPattern = () => {
  const condition = first(tf.variable.domain_name?.[0]?.validation).condition as string;
  const match = /regex\("(.+)", var\.domain_name\)/.exec(condition);
  return new RegExp((match?.[1] ?? "").replaceAll("\\\\", "\\"));
};

describe("the custom domain (SPEC 14.3)", () => {
  it("is off unless domain_name is set; hosted_zone_id is optional too", () => {
    expect(tf.variable.domain_name?.[0]).toMatchObject({ default: "", type: "${string}" });
    expect(tf.variable.hosted_zone_id?.[0]).toMatchObject({ default: "", type: "${string}" });
    expect(local(tf, "custom_domain")).toBe('${var.domain_name != ""}');
    expect(local(tf, "manage_dns")).toBe('${local.custom_domain && var.hosted_zone_id != ""}');
    for (const [type, name] of [
      ["aws_acm_certificate", "api"],
      ["aws_acm_certificate_validation", "api"],
      ["aws_api_gateway_domain_name", "api"],
    ] as const) {
      expect(resource(tf, type, name).count, `${type}.${name}`).toBe("${local.custom_domain ? 1 : 0}");
    }
  });

  it("accepts DNS names only", () => {
    const pattern = domainPattern();
    for (const good of ["api.example.com", "v1-api.eu.example.co.uk"]) expect(good, good).toMatch(pattern);
    for (const bad of ["API.example.com", "https://api.example.com", "api.example.com/v1", "localhost", "-api.example.com"]) {
      expect(bad, bad).not.toMatch(pattern);
    }
  });

  it("has an ACM certificate validated by DNS, waited for before API Gateway uses it", () => {
    expect(resource(tf, "aws_acm_certificate", "api")).toMatchObject({ domain_name: "${var.domain_name}", validation_method: "DNS" });
    expect(first(resource(tf, "aws_acm_certificate", "api").lifecycle)).toEqual({ create_before_destroy: true });
    const validation = resource(tf, "aws_acm_certificate_validation", "api");
    expect(validation.certificate_arn).toBe("${aws_acm_certificate.api[0].arn}");
    expect(validation.validation_record_fqdns).toContain("aws_route53_record.api_certificate_validation");
    expect(resource(tf, "aws_api_gateway_domain_name", "api").regional_certificate_arn).toBe(
      "${aws_acm_certificate_validation.api[0].certificate_arn}",
    );
  });

  it("writes the validation records in Route 53 only when a zone is given", () => {
    const records = resource(tf, "aws_route53_record", "api_certificate_validation");
    expect(records.for_each).toMatch(/^\$\{local\.manage_dns \? \{/);
    expect(records.for_each).toContain("aws_acm_certificate.api[0].domain_validation_options");
    expect(records).toMatchObject({
      zone_id: "${var.hosted_zone_id}",
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
    });
  });

  it("is a REGIONAL API Gateway domain name with TLS 1.2", () => {
    const domain = resource(tf, "aws_api_gateway_domain_name", "api");
    expect(domain).toMatchObject({ domain_name: "${var.domain_name}", security_policy: "TLS_1_2" });
    expect(first(domain.endpoint_configuration)).toEqual({ types: ["REGIONAL"] });
    expect(domain.certificate_arn).toBeUndefined(); // that one is for EDGE endpoints
  });

  it("maps /v1 to the stage of the REST API Serverless created, found by its name once it exists", () => {
    const mapping = resource(tf, "aws_api_gateway_base_path_mapping", "v1");
    expect(mapping).toMatchObject({
      base_path: "v1",
      stage_name: "${var.stage}",
      api_id: "${local.rest_api_id}",
      domain_name: "${aws_api_gateway_domain_name.api[0].domain_name}",
      count: "${local.custom_domain && var.api_deployed ? 1 : 0}",
    });
    expect(tf.data.aws_api_gateway_rest_api?.this?.[0]).toEqual({ count: "${var.api_deployed ? 1 : 0}", name: "${local.rest_api_name}" });
    expect(local(tf, "rest_api_id")).toBe('${var.api_deployed ? data.aws_api_gateway_rest_api.this[0].id : ""}');
    expect(tf.variable.api_deployed?.[0]).toMatchObject({ type: "${bool}", default: true });
  });

  it("has an alias record to the regional domain when a zone is given", () => {
    const record = resource(tf, "aws_route53_record", "api");
    expect(record).toMatchObject({ count: "${local.manage_dns ? 1 : 0}", zone_id: "${var.hosted_zone_id}", type: "A" });
    expect(first(record.alias)).toEqual({
      name: "${aws_api_gateway_domain_name.api[0].regional_domain_name}",
      zone_id: "${aws_api_gateway_domain_name.api[0].regional_zone_id}",
      evaluate_target_health: false,
    });
  });

  it("outputs the base URL, the DNS target and the validation records", () => {
    expect(outputs.api_base_url?.[0]?.value).toBe("${local.api_base_url}");
    expect(local(tf, "api_base_url")).toContain('"https://${var.domain_name}/v1"');
    expect(outputs.api_domain_target?.[0]?.value).toContain("regional_domain_name");
    expect(outputs.api_certificate_validation_records?.[0]?.value).toContain("domain_validation_options");
  });

  it("is the /v1 the OpenAPI document and the docs present", () => {
    const base = resource(tf, "aws_api_gateway_base_path_mapping", "v1").base_path as string;
    const openapi = parseYaml(readFileSync(resolve(ROOT, "docs/openapi.yaml"), "utf8")) as { servers: { url: string }[] };
    const deployed = openapi.servers.filter((s) => s.url.startsWith("https://"));
    expect(deployed.length).toBeGreaterThan(0);
    for (const server of deployed) expect(new URL(server.url).pathname).toBe(`/${base}`);
    const deployment = readFileSync(resolve(ROOT, "docs/deployment.md"), "utf8");
    expect(deployment).toContain("terraform/domain.tf");
    expect(deployment).not.toContain("create-base-path-mapping"); // Terraform maps it, not a hand-run command
    expect(readFileSync(resolve(ROOT, "README.md"), "utf8")).toContain(`https://<domain_name>/${base}`);
  });
});
