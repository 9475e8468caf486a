import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/**
 * scripts/deploy.sh with the two commands it runs, `aws` and `npx`, replaced on PATH by stubs that
 * record their arguments (and the rollout settings they were given): the script's own decisions are
 * what runs. STUB_STATUS is what describe-stacks answers for the stack's status ("missing": the
 * CLI's error for a stack that does not exist, "denied": an access error).
 */
async function deploy(args: string[], status: string): Promise<{ calls: string[]; code: number }> {
  const dir = mkdtempSync(join(tmpdir(), "deploy-sh-"));
  const log = join(dir, "calls.log");
  const stub = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\necho "${name} $* config=\${DEPLOYMENT_CONFIG:-} watch=\${WATCH_ALARMS:-}" >>"${log}"\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  stub(
    "aws",
    `case "$*" in
  *deployment-bucket*) echo bucket ;;
  *StackStatus*)
    case "$STUB_STATUS" in
      missing) echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2; exit 254 ;;
      denied) echo "An error occurred (AccessDenied) when calling the DescribeStacks operation" >&2; exit 254 ;;
      *) echo "$STUB_STATUS" ;;
    esac ;;
  *ServiceEndpoint*) echo https://api.example.test/prod ;;
esac`,
  );
  stub("npx", "");
  const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}`, STUB_STATUS: status, GITHUB_OUTPUT: join(dir, "out") };
  const code = await run("bash", [join(ROOT, "scripts", "deploy.sh"), ...args], { env }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? 1,
  );
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  return { calls, code };
}

const osls = (calls: string[]) => calls.filter((c) => c.startsWith("npx osls deploy"));

describe("scripts/deploy.sh", () => {
  it("deploys a stage without forcing, with production's canary settings left to serverless.yml", async () => {
    const { calls, code } = await deploy(["prod"], "UPDATE_COMPLETE");
    expect(code).toBe(0);
    expect(osls(calls)).toEqual(["npx osls deploy --stage prod --region us-east-1 config= watch="]);
    expect(calls.some((c) => c.includes("delete-stack"))).toBe(false);
  });

  it("--force reaches the framework (an unchanged package still updates the stack's SSM values)", async () => {
    const { calls } = await deploy(["staging", "--force"], "UPDATE_COMPLETE");
    expect(osls(calls)).toEqual(["npx osls deploy --stage staging --region us-east-1 --force config= watch="]);
  });

  it("--all-at-once shifts at once and does not watch the alarms", async () => {
    const { calls } = await deploy(["prod", "--force", "--all-at-once"], "UPDATE_COMPLETE");
    expect(osls(calls)).toEqual(["npx osls deploy --stage prod --region us-east-1 --force config=CodeDeployDefault.LambdaAllAtOnce watch=false"]);
  });

  it("deletes its stack left in ROLLBACK_COMPLETE, waits, then deploys", async () => {
    const { calls, code } = await deploy(["prod"], "ROLLBACK_COMPLETE");
    expect(code).toBe(0);
    const at = (prefix: string) => calls.findIndex((c) => c.startsWith(prefix));
    expect(at("aws cloudformation delete-stack --stack-name user-service-prod")).toBeGreaterThan(-1);
    expect(at("aws cloudformation wait stack-delete-complete --stack-name user-service-prod")).toBeGreaterThan(at("aws cloudformation delete-stack"));
    expect(at("npx osls deploy")).toBeGreaterThan(at("aws cloudformation wait"));
  });

  it("deploys a first time when there is no stack, and stops on any other error reading it", async () => {
    const first = await deploy(["staging"], "missing");
    expect(first.code).toBe(0);
    expect(osls(first.calls)).toHaveLength(1);
    const denied = await deploy(["staging"], "denied");
    expect(denied.code).not.toBe(0);
    expect(osls(denied.calls)).toHaveLength(0);
  });

  it("refuses an unknown option", async () => {
    const { calls, code } = await deploy(["prod", "--fast"], "UPDATE_COMPLETE");
    expect(code).toBe(2);
    expect(osls(calls)).toHaveLength(0);
  });
});
