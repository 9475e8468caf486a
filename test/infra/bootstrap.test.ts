import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listBlocks, readHclFiles, type HclFile } from "./support/hclBlocks.js";
import { first, local, readTerraform, resource, TERRAFORM_DIR, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BOOTSTRAP_DIR = join(TERRAFORM_DIR, "bootstrap");
const BACKENDS_DIR = join(TERRAFORM_DIR, "backends");

let stage: TerraformConfig;
let stageFiles: HclFile[];
let bootstrap: TerraformConfig;
let bootstrapFiles: HclFile[];
beforeAll(async () => {
  stage = await readTerraform();
  stageFiles = await readHclFiles(TERRAFORM_DIR);
  bootstrap = await readTerraform(BOOTSTRAP_DIR);
  bootstrapFiles = await readHclFiles(BOOTSTRAP_DIR);
});

/** ">= 1.11.0" -> [1, 11, 0]. */
const floorOf = (constraint: unknown): number[] => {
  const match = /^>= ?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String(constraint));
  if (!match) throw new Error(`required_version ${String(constraint)} is not a ">= x.y.z" floor`);
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
};
const atLeast = (version: number[], wanted: number[]) => {
  for (let i = 0; i < 3; i++) if (version[i] !== wanted[i]) return (version[i] ?? 0) > (wanted[i] ?? 0);
  return true;
};
const requiredVersion = (files: HclFile[]) => listBlocks(files, "terraform").find((t) => "required_version" in t)?.required_version;

describe("per-stage state", () => {
  it("has one backend file per stage, each with its own key, S3 native locking and encryption", async () => {
    const examples = readdirSync(BACKENDS_DIR).filter((f) => f.endsWith(".hcl.example")).sort();
    expect(examples).toEqual(["prod.hcl.example", "staging.hcl.example"]);
    const keys = new Set<string>();
    for (const file of examples) {
      const backend = (await parse(file, readFileSync(join(BACKENDS_DIR, file), "utf8"))) as Record<string, unknown>;
      const stageName = file.replace(".hcl.example", "");
      expect(backend, file).toMatchObject({ use_lockfile: true, encrypt: true });
      expect(String(backend.key), file).toContain(`/${stageName}/`);
      expect(backend).not.toHaveProperty("dynamodb_table");
      keys.add(String(backend.key));
    }
    expect(keys.size).toBe(examples.length);
    expect(readdirSync(TERRAFORM_DIR)).not.toContain("backend.hcl.example");
  });

  it("requires the Terraform that use_lockfile (GA in 1.11), removed blocks (1.7) and check blocks (1.5) need, in both stacks", () => {
    for (const files of [stageFiles, bootstrapFiles]) expect(atLeast(floorOf(requiredVersion(files)), [1, 11, 0])).toBe(true);
    expect(listBlocks(stageFiles, "terraform").find((t) => "backend" in t)?.backend).toEqual({ s3: [{}] });
    const docs = readFileSync(join(ROOT, "docs/deployment.md"), "utf8");
    expect(docs).toContain("Terraform >= 1.11");
    expect(docs).not.toMatch(/Terraform >= 1\.(6|7|8|9|10)\b/);
    expect(docs).toContain("-backend-config=backends/");
    expect(docs).not.toMatch(/-backend-config=backend\.hcl/);
  });

  it("keeps the copied backend files and variables out of git", () => {
    const ignored = readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["terraform/backends/*.hcl", "terraform/*.tfvars", "*.tfstate*"]));
  });
});

describe("the account bootstrap stack", () => {
  it("makes the state bucket: versioned, encrypted, private, TLS only, never destroyed by an apply", () => {
    const bucket = resource(bootstrap, "aws_s3_bucket", "state");
    expect(bucket.bucket).toBe("${var.state_bucket_name}");
    expect(first(bucket.lifecycle)).toEqual({ prevent_destroy: true });
    expect(first(resource(bootstrap, "aws_s3_bucket_versioning", "state").versioning_configuration)).toEqual({ status: "Enabled" });
    const sse = first(first(resource(bootstrap, "aws_s3_bucket_server_side_encryption_configuration", "state").rule).apply_server_side_encryption_by_default);
    expect(sse.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);
    expect(resource(bootstrap, "aws_s3_bucket_public_access_block", "state")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(String(resource(bootstrap, "aws_s3_bucket_policy", "state").policy)).toContain('"aws:SecureTransport" = "false"');
  });

  it("creates the GitHub OIDC provider, or reads the account's existing one (a variable chooses)", () => {
    expect(resource(bootstrap, "aws_iam_openid_connect_provider", "github")).toMatchObject({
      count: "${var.create_github_oidc_provider ? 1 : 0}",
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    expect(bootstrap.data.aws_iam_openid_connect_provider?.github?.[0]).toMatchObject({
      count: "${var.create_github_oidc_provider ? 0 : 1}",
      url: "https://token.actions.githubusercontent.com",
    });
    expect(bootstrap.variable.create_github_oidc_provider?.[0]).toMatchObject({ type: "${bool}", default: true });
  });

  it("sets API Gateway's account-wide CloudWatch logging role", () => {
    expect(resource(bootstrap, "aws_api_gateway_account", "this").cloudwatch_role_arn).toBe("${aws_iam_role.api_gateway_logs[0].arn}");
    expect(String(resource(bootstrap, "aws_iam_role", "api_gateway_logs").assume_role_policy)).toContain("apigateway.amazonaws.com");
    expect(resource(bootstrap, "aws_iam_role_policy_attachment", "api_gateway_logs").policy_arn).toBe(
      "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    );
  });
});

describe("the stage stack", () => {
  const ACCOUNT_WIDE = ["aws_iam_openid_connect_provider", "aws_api_gateway_account", "aws_s3_bucket_versioning"];

  it("owns none of the account's resources: it reads the OIDC provider by URL", () => {
    for (const type of ACCOUNT_WIDE) expect(stage.resource[type], type).toBeUndefined();
    expect(stage.resource.aws_iam_role?.api_gateway_logs).toBeUndefined();
    expect(stage.data.aws_iam_openid_connect_provider?.github?.[0]).toEqual({ url: "https://token.actions.githubusercontent.com" });
    expect(local(stage, "github_oidc_provider_arn")).toBe("${data.aws_iam_openid_connect_provider.github.arn}");
    expect(stage.variable.create_github_oidc_provider).toBeUndefined();
    expect(stage.variable.manage_api_gateway_account).toBeUndefined();
  });

  it("lets a stage applied before the move drop them from its state without destroying them", () => {
    const removed = listBlocks(stageFiles, "removed").map((r) => ({ from: r.from, lifecycle: first(r.lifecycle) }));
    expect(removed).toEqual(
      expect.arrayContaining(
        ["aws_iam_openid_connect_provider.github", "aws_iam_role.api_gateway_logs", "aws_iam_role_policy_attachment.api_gateway_logs", "aws_api_gateway_account.this"].map(
          (address) => ({ from: `\${${address}}`, lifecycle: { destroy: false } }),
        ),
      ),
    );
  });
});
