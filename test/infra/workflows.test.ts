import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = resolve(import.meta.dirname, "../..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const VALIDATOR = join(ROOT, "node_modules", ".bin", "action-validator");
const run = promisify(execFile);

const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps: Step[];
}
const pipeline = parse(readFileSync(join(WORKFLOWS, "pipeline.yml"), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const job = (name: string): Job => {
  const found = pipeline.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
};
const runs = (name: string) => job(name).steps.map((s) => s.run ?? "").join("\n");

/** The GitHub environment a job runs in, whichever form it is written in. */
const environmentOf = (j: Job): string | undefined => (typeof j.environment === "string" ? j.environment : j.environment?.name);

describe("deploy jobs and their roles", () => {
  // Each stage's Terraform creates `<stage>-user-service-github-deploy`, trusted only for
  // `repo:<owner/name>:environment:<github_environment>` (terraform/github_oidc.tf).
  const deployJobs = Object.entries(pipeline.jobs).filter(([, j]) => j.steps.some((s) => /scripts\/deploy\.sh/.test(s.run ?? "")));
  const expected: Record<string, { environment: string; stage: string }> = {
    "deploy-staging": { environment: "staging", stage: "staging" },
    "deploy-production": { environment: "production", stage: "prod" },
  };

  it("are exactly the staging and production deploys", () => {
    expect(deployJobs.map(([name]) => name).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s runs in its GitHub environment and assumes that environment's stage role", (name, { environment, stage }) => {
    const deploy = job(name);
    expect(environmentOf(deploy)).toBe(environment);
    expect(runs(name)).toContain(`bash scripts/deploy.sh ${stage}`);
    const credentials = deploy.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.with?.["role-to-assume"]).toBe(`arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${stage}-user-service-github-deploy`);
  });

  it("no job without an environment can ask for an OIDC token", () => {
    for (const [name, j] of Object.entries(pipeline.jobs)) {
      if (j.permissions?.["id-token"] === "write") expect(environmentOf(j), name).toMatch(/^(staging|production)$/);
      if (j.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))) expect(j.permissions?.["id-token"], name).toBe("write");
    }
  });
});

describe("GitHub workflows", () => {
  it.each(workflowFiles)("%s passes action-validator", async (file) => {
    await expect(run(VALIDATOR, [join(WORKFLOWS, file)])).resolves.toBeDefined();
  });

  it("action-validator rejects a broken workflow (the check can fail)", async () => {
    const broken = join(mkdtempSync(join(tmpdir(), "workflow-")), "broken.yml");
    writeFileSync(broken, "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n");
    await expect(run(VALIDATOR, [broken])).rejects.toThrow();
  });
});

describe("the pipeline", () => {
  it("checks pull requests: lint, typecheck, unit tests, package, terraform fmt and validate", () => {
    expect(Object.keys(pipeline.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    for (const command of ["npm run lint", "npm run typecheck", "npm test", "npm run package"]) {
      expect(runs("test")).toContain(command);
    }
    expect(runs("terraform")).toContain("terraform fmt -check");
    expect(runs("terraform")).toContain("terraform validate");
    expect(runs("terraform")).toContain("terraform -chdir=bootstrap validate");
  });

  it("deploys staging from main, tests it through API_URL, then production behind its environment", () => {
    expect(job("deploy-staging").if).toContain("refs/heads/main");
    expect(job("deploy-staging").environment).toBe("staging");
    expect(job("integration-test").needs).toBe("deploy-staging");
    expect(JSON.stringify(job("integration-test").steps)).toContain("API_URL");
    expect(job("deploy-production").needs).toBe("integration-test");
    expect(job("deploy-production").environment).toMatchObject({ name: "production" });
  });

  it("reaches AWS through OIDC only: id-token where it deploys, no stored keys anywhere", () => {
    expect(pipeline.permissions).toEqual({ contents: "read" });
    for (const name of ["deploy-staging", "deploy-production"]) {
      expect(job(name).permissions).toMatchObject({ "id-token": "write" });
    }
    for (const file of workflowFiles) {
      const text = readFileSync(join(WORKFLOWS, file), "utf8");
      // A key may only be blanked (the smoke steps drop the deploy role's credentials), never set.
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY(?!: ""$)/m);
      expect(text).not.toMatch(/\d{12}/);
    }
  });
});
