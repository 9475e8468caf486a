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
      const credentials = job(name).steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
      expect(credentials?.with?.["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    }
    for (const file of workflowFiles) {
      const text = readFileSync(join(WORKFLOWS, file), "utf8");
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
      expect(text).not.toMatch(/\d{12}/);
    }
  });
});
