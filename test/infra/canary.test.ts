import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";
import { first, local, readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = resolve(ROOT, "canary/signinCanary.cjs");
let tf: TerraformConfig;
beforeAll(async () => {
  tf = await readTerraform();
});

type Statement = { sid: string; actions: string[]; resources: string[]; condition?: { test: string; variable: string; values: string[] }[] };
const canary = () => resource(tf, "aws_synthetics_canary", "signin");
const runConfig = () => first(canary().run_config) as { environment_variables: Record<string, string>; timeout_in_seconds: number };

describe("the synthetic sign-in canary (SPEC 14.5)", () => {
  it("runs every 5 minutes on a Node.js Synthetics runtime, started once the API exists", () => {
    expect(first(canary().schedule)).toEqual({ expression: "rate(5 minutes)" });
    expect(canary().runtime_version).toBe("${var.canary_runtime_version}");
    expect(tf.variable.canary_runtime_version?.[0]?.default).toMatch(/^syn-nodejs-puppeteer-\d+\.\d+$/);
    expect(canary().start_canary).toBe("${var.api_deployed}");
    expect(canary().name).toBe("${local.canary_name}");
    // Synthetics names: 21 characters at most; the stage may have 21 itself.
    expect(local(tf, "canary_name")).toBe("${substr(var.stage, 0, 14)}-signin");
    expect(14 + "-signin".length).toBeLessThanOrEqual(21);
  });

  it("packages the repository's script where the runtime looks for the handler", () => {
    const archive = tf.data.archive_file?.signin_canary?.[0] as { source: { content: string; filename: string }[]; output_path: string };
    expect(local(tf, "canary_script")).toBe("${path.module}/../canary/signinCanary.cjs");
    expect(archive.source).toEqual([{ content: "${file(local.canary_script)}", filename: "nodejs/node_modules/signinCanary.js" }]);
    expect(archive.output_path).toContain("filesha256(local.canary_script)");
    expect(canary().zip_file).toBe("${data.archive_file.signin_canary.output_path}");
    const versions = readFileSync(resolve(ROOT, "terraform/versions.tf"), "utf8");
    expect(versions).toMatch(/archive = \{\s+source\s+= "hashicorp\/archive"/);
    const [file, exported] = (canary().handler as string).split(".");
    expect(archive.source[0]?.filename).toBe(`nodejs/node_modules/${file}.js`);
    const script = createRequire(import.meta.url)(SCRIPT) as Record<string, unknown>;
    expect(typeof script[exported ?? ""]).toBe("function");
    expect(typeof script.checkSignIn).toBe("function");
  });

  it("gets every setting the script reads from Terraform, and the password from SSM only", () => {
    const read = [...readFileSync(SCRIPT, "utf8").matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]);
    expect(Object.keys(runConfig().environment_variables).sort()).toEqual([...new Set(read)].sort());
    expect(runConfig().environment_variables).toMatchObject({
      API_BASE_URL: "${local.api_base_url}",
      COGNITO_CLIENT_ID: "${aws_cognito_user_pool_client.main.id}",
      TEST_USER_PASSWORD_PARAMETER: "${local.test_user_password_parameter}",
      TEST_USER_EMAIL: "${var.test_user_email}",
    });
    expect(local(tf, "test_user_password_parameter")).toBe("${local.ssm_prefix}/test-user-password");
    expect(tf.variable.test_user_email?.[0]?.default).toBe("");
    expect(JSON.stringify(tf)).not.toMatch(/test-user-password[^"]*"\s*,?\s*"?value/);
    expect(tf.resource.aws_ssm_parameter?.test_user_password).toBeUndefined(); // the operator writes it, never the state
  });

  it("signs in with a flow the app client allows", () => {
    expect(readFileSync(SCRIPT, "utf8")).toContain('AuthFlow: "USER_PASSWORD_AUTH"');
    expect(resource(tf, "aws_cognito_user_pool_client", "main").explicit_auth_flows).toContain("ALLOW_USER_PASSWORD_AUTH");
    expect(resource(tf, "aws_cognito_user_pool_client", "main").generate_secret).toBe(false); // InitiateAuth unsigned, no SECRET_HASH
  });

  it("has a role of its own: named actions, '*' only where AWS takes no resource, the password parameter only", () => {
    expect(canary().execution_role_arn).toBe("${aws_iam_role.canary.arn}");
    expect(resource(tf, "aws_iam_role", "canary").assume_role_policy).toContain("lambda.amazonaws.com");
    const statements = (tf.data.aws_iam_policy_document?.canary?.[0] as { statement: Statement[] }).statement;
    for (const statement of statements) {
      for (const action of statement.actions) expect(action).not.toContain("*");
      if (statement.resources.includes("*")) expect(statement.actions, statement.sid).toSatisfy((a: string[]) => a.every((x) => ["s3:ListAllMyBuckets", "cloudwatch:PutMetricData"].includes(x)));
    }
    const metrics = statements.find((s) => s.actions.includes("cloudwatch:PutMetricData"));
    expect(metrics?.condition).toEqual([{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["CloudWatchSynthetics"] }]);
    const ssm = statements.filter((s) => s.actions.some((a) => a.startsWith("ssm:")));
    expect(ssm).toEqual([expect.objectContaining({ actions: ["ssm:GetParameter"] })]);
    expect(ssm[0]?.resources).toEqual(["arn:${local.partition}:ssm:${var.region}:${local.account_id}:parameter${local.test_user_password_parameter}"]);
    expect(statements.find((s) => s.actions.includes("s3:PutObject"))?.resources).toEqual(["${aws_s3_bucket.canary_artifacts.arn}/signin/*"]);
    expect(statements.flatMap((s) => s.actions)).not.toContain("kms:Decrypt");
  });

  it("keeps its artifacts in a private, encrypted bucket", () => {
    expect(canary().artifact_s3_location).toBe("s3://${aws_s3_bucket.canary_artifacts.bucket}/signin/");
    expect(resource(tf, "aws_s3_bucket_public_access_block", "canary_artifacts")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "canary_artifacts").bucket).toBe("${aws_s3_bucket.canary_artifacts.id}");
  });

  it("pages when 2 of the last 3 runs failed, with its runbook", () => {
    const alarm = resource(tf, "aws_cloudwatch_metric_alarm", "signin_canary");
    expect(alarm).toMatchObject({
      namespace: "CloudWatchSynthetics",
      metric_name: "SuccessPercent",
      dimensions: { CanaryName: "${aws_synthetics_canary.signin.name}" },
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 2,
      comparison_operator: "LessThanThreshold",
      threshold: 90,
      alarm_actions: ["${aws_sns_topic.alarms.arn}"],
    });
    expect(alarm.treat_missing_data).toBe('${var.api_deployed ? "breaching" : "notBreaching"}');
    expect(alarm.alarm_description).toContain("#synthetic-canary-failing");
  });

  it("is linted by the repository's ESLint configuration", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    expect(await eslint.isPathIgnored(SCRIPT)).toBe(false);
    const [result] = await eslint.lintFiles([SCRIPT]);
    expect(result?.errorCount).toBe(0);
  });
});
