import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = resolve(import.meta.dirname, "../..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const run = promisify(execFile);

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, { required?: boolean; type?: string; default?: unknown; options?: string[] }> } | null>;
  jobs: Record<string, Job>;
}
const read = (file: string) => parse(readFileSync(join(WORKFLOWS, file), "utf8")) as Workflow;
const pipeline = read("pipeline.yml");
const rollback = read("rollback.yml");
const stepIndex = (job: Job, match: (s: Step) => boolean) => job.steps.findIndex(match);
const SECRETS = { TEST_USER_EMAIL: "${{ secrets.TEST_USER_EMAIL }}", TEST_USER_PASSWORD: "${{ secrets.TEST_USER_PASSWORD }}" };
const NO_AWS_KEYS = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "" };

describe("production: smoke tests after the deploy (SPEC 11.5)", () => {
  const job = pipeline.jobs["deploy-production"] as Job;

  it("runs the deployed smoke tests in the production job, after the deploy, as production's own test user", () => {
    const deploy = stepIndex(job, (s) => s.id === "deploy");
    const smoke = stepIndex(job, (s) => s.run === "npm run test:e2e");
    expect(deploy).toBeGreaterThan(-1);
    expect(smoke).toBeGreaterThan(deploy);
    const env = job.steps[smoke]?.env;
    expect(env).toMatchObject({ API_URL: "${{ steps.deploy.outputs.api_url }}", COGNITO_CLIENT_ID: "${{ steps.test-config.outputs.cognito_client_id }}", ...SECRETS, ...NO_AWS_KEYS });
    // Secrets are the environment's: the job must be production's, not a job without one.
    expect(job.environment).toMatchObject({ name: "production" });
    expect(job.steps.find((s) => s.id === "test-config")?.run).toContain("/user-service/prod/user-pool-client-id");
  });

  it("one deploy of a stage at a time, shared with the rollback workflow", () => {
    expect(pipeline.jobs["deploy-staging"]?.concurrency).toEqual({ group: "deploy-staging", "cancel-in-progress": false });
    expect(job.concurrency).toEqual({ group: "deploy-production", "cancel-in-progress": false });
    expect(rollback.jobs.rollback?.concurrency).toEqual({ group: "deploy-${{ inputs.environment }}", "cancel-in-progress": false });
  });

  it("a manual run deploys main's head, forced", () => {
    expect(pipeline.on.workflow_dispatch?.inputs?.force).toMatchObject({ type: "boolean", default: true });
    expect(pipeline.jobs["deploy-staging"]?.if).toContain("github.event_name == 'workflow_dispatch'");
    for (const name of ["deploy-staging", "deploy-production"]) {
      const deploy = pipeline.jobs[name]?.steps.find((s) => s.id === "deploy");
      expect(deploy?.run, name).toMatch(/^bash scripts\/deploy\.sh (staging|prod) \$\{DEPLOY_OPTIONS\}$/);
      expect(deploy?.env?.DEPLOY_OPTIONS, name).toBe("${{ github.event_name == 'workflow_dispatch' && inputs.force && '--force' || '' }}");
    }
  });
});

describe("the rollback workflow (issue 12.6)", () => {
  const job = rollback.jobs.rollback as Job;

  it("is started by hand with a commit and a stage; nothing else starts it", () => {
    expect(Object.keys(rollback.on)).toEqual(["workflow_dispatch"]);
    const inputs = rollback.on.workflow_dispatch?.inputs ?? {};
    expect(inputs.ref).toMatchObject({ required: true, type: "string" });
    expect(inputs.environment).toMatchObject({ type: "choice", options: ["production", "staging"], default: "production" });
  });

  it("runs in the chosen environment (production's reviewers approve it) with that stage's role", () => {
    expect(job.environment).toMatchObject({ name: "${{ inputs.environment }}" });
    expect(job.permissions).toEqual({ "id-token": "write", contents: "read" });
    const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(credentials?.with?.["role-to-assume"]).toBe(
      "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/${{ inputs.environment == 'production' && 'prod' || 'staging' }}-user-service-github-deploy",
    );
    expect(job.env?.STAGE).toBe("${{ inputs.environment == 'production' && 'prod' || 'staging' }}");
  });

  it("checks out the commit, deploys it forced (all at once unless a canary is asked), then smoke tests it", () => {
    const checkout = stepIndex(job, (s) => s.uses?.startsWith("actions/checkout") === true);
    const deploy = stepIndex(job, (s) => s.id === "deploy");
    const smoke = stepIndex(job, (s) => s.run === "npm run test:e2e");
    expect(job.steps[checkout]?.with).toEqual({ ref: "${{ inputs.ref }}" });
    expect(job.steps[deploy]?.run).toBe('bash scripts/deploy.sh "${STAGE}" --force ${DEPLOY_OPTIONS}');
    expect(job.steps[deploy]?.env?.DEPLOY_OPTIONS).toBe("${{ !inputs.canary && '--all-at-once' || '' }}");
    expect(checkout).toBeLessThan(deploy);
    expect(smoke).toBeGreaterThan(deploy);
    expect(job.steps[smoke]?.env).toMatchObject({ API_URL: "${{ steps.deploy.outputs.api_url }}", ...SECRETS, ...NO_AWS_KEYS });
  });

  it("passes action-validator", async () => {
    await expect(run(join(ROOT, "node_modules", ".bin", "action-validator"), [join(WORKFLOWS, "rollback.yml")])).resolves.toBeDefined();
  });
});

describe("the docs an operator follows for these", () => {
  const deployment = readFileSync(join(ROOT, "docs", "deployment.md"), "utf8");
  const runbooks = readFileSync(join(ROOT, "docs", "runbooks.md"), "utf8");

  it("make the standing test user by sign-up and admin confirmation (PostConfirmation runs), at the SES simulator", () => {
    const section = deployment.slice(deployment.indexOf("## The standing test user and the first admin"));
    expect(section).toMatch(/aws cognito-idp sign-up --client-id/);
    expect(section).toMatch(/aws cognito-idp admin-confirm-sign-up --user-pool-id/);
    expect(section).toMatch(/success\+[a-z$-]+[A-Z_]*@simulator\.amazonses\.com/);
    expect(section).toMatch(/gh secret set TEST_USER_PASSWORD --env production/);
    expect(section).toMatch(/--name \/user-service\/\$STAGE\/test-user-password/);
    expect(section).toMatch(/admin-add-user-to-group .* --group-name admins/);
  });

  it("have the agreed runbook anchors for rollback and the password rotation", () => {
    expect(runbooks).toMatch(/^## Rollback$/m);
    expect(runbooks).toMatch(/^## Rotating the standing test user's password$/m);
    expect(runbooks).toContain("gh workflow run rollback.yml -f ref=<sha> -f environment=production");
    expect(runbooks).toContain("scripts/deploy.sh prod --force --all-at-once");
  });
});
