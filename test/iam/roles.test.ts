import { beforeAll, describe, expect, inject, it } from "vitest";
import type { AwsCallRecord } from "../../src/adapters/awsCallRecorder.js";
import { readTemplate, type CfnTemplate } from "../infra/support/template.js";
import { EXEMPTIONS, type Exemption } from "./exemptions.js";
import { decide, functionBoundary, functionRoles, requestOf, resourceMatches, type FunctionRole, type IamRequest, type PolicyDocument } from "./policies.js";
import { RECORDING_SUITES, readSuiteRecords, recordDirOf, type SuiteRecords } from "./records.js";

/**
 * IAM from evidence (SPEC 13.3): every AWS call the int and e2e suites recorded, per function
 * (src/adapters/awsCallRecorder.ts), against that function's role in the packaged template within
 * Terraform's permissions boundary, with @cloud-copilot/iam-simulate. Runs after those suites
 * (`npm run test:all`, or `npm run test:int && npm run test:e2e && npm run test:iam`).
 */
let template: CfnTemplate;
let roles: FunctionRole[];
let boundary: { arn: string; policy: PolicyDocument };
let suites: SuiteRecords[];

interface Seen {
  request: IamRequest;
  suites: Set<string>;
  calls: Set<string>;
}
/** Per function: each distinct IAM request, with the suites and SDK calls that made it. */
const seen = new Map<string, Map<string, Seen>>();
const unmappable: string[] = [];

const callName = (r: AwsCallRecord) => `${r.service}:${r.action}${r.part ? `(${r.part})` : ""}`;

beforeAll(async () => {
  template = readTemplate(inject("packageDir"));
  roles = functionRoles(template);
  boundary = await functionBoundary();
  suites = RECORDING_SUITES.map(readSuiteRecords);
  for (const { suite, records } of suites) {
    for (const record of records) {
      let request: IamRequest;
      try {
        request = requestOf(record);
      } catch (error) {
        unmappable.push((error as Error).message);
        continue;
      }
      const byRequest = seen.get(record.function) ?? new Map<string, Seen>();
      seen.set(record.function, byRequest);
      const key = `${request.action} ${request.resource}`;
      const entry = byRequest.get(key) ?? { request, suites: new Set(), calls: new Set() };
      entry.suites.add(suite);
      entry.calls.add(callName(record));
      byRequest.set(key, entry);
    }
  }
});

const exemptionsFor = (functionName: string, action: string, resource: string): Exemption[] =>
  EXEMPTIONS.filter(
    (e) =>
      (e.functions === "every function" || e.functions.includes(functionName)) &&
      e.actions.includes(action) &&
      (e.resource === undefined || e.resource === resource),
  );

/** Every (function, action, resource) its role grants. */
const grantsOf = (role: FunctionRole) =>
  role.policies.flatMap((p) =>
    p.policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
      s.Action.flatMap((action) => s.Resource.map((resource) => ({ action, resource, sid: s.Sid ?? "" }))),
    ),
  );

const exercised = (functionName: string, action: string, resource: string) =>
  [...(seen.get(functionName)?.values() ?? [])].some((s) => s.request.action === action && resourceMatches(resource, s.request.resource));

describe("the recorded AWS calls", () => {
  it.each(RECORDING_SUITES)("include the %s suite's (run it first: recording must not pass vacuously)", (suite) => {
    const found = suites.find((s) => s.suite === suite);
    expect(found?.files, `no record files in ${recordDirOf(suite)}: run the ${suite} suite before this one`).toBeGreaterThan(0);
    expect(found?.records.length, `the ${suite} suite recorded no AWS call: recording is broken`).toBeGreaterThan(0);
  });

  it("are each attributed to a function of the template, and map to an IAM request", () => {
    const functions = new Set(roles.map((r) => r.functionName));
    const unknown = [...seen.keys()].filter((name) => !functions.has(name));
    expect(unknown, "records of functions the template does not have").toEqual([]);
    expect(unmappable).toEqual([]);
  });

  it("cover every function: each made at least one call in the suites", () => {
    const silent = roles.map((r) => r.functionName).filter((name) => !seen.has(name));
    expect(silent, "functions with no recorded call: no test invokes them, or their invocation is not attributed").toEqual([]);
  });
});

describe("each function's role, within the permissions boundary", () => {
  it("is the function's own, and carries Terraform's function boundary", () => {
    const roleIds = roles.map((r) => r.roleId);
    expect(new Set(roleIds).size, "a role shared by several functions").toBe(roleIds.length);
    for (const role of roles) expect(role.boundaryArn, role.roleId).toBe(boundary.arn);
  });

  it("allows every recorded call", async () => {
    const denied: string[] = [];
    for (const role of roles) {
      for (const s of seen.get(role.functionName)?.values() ?? []) {
        const decision = await decide(role, boundary.policy, s.request);
        if (decision.result !== "Allowed") {
          denied.push(
            `${role.functionName} (${role.roleId}): ${s.request.action} on ${s.request.resource} is ${decision.result}` +
              ` [SDK ${[...s.calls].join(", ")}; seen in ${[...s.suites].join(", ")}]${decision.errors ? ` ${decision.errors}` : ""}`,
          );
        }
      }
    }
    expect(denied, "calls the deployed role would deny: grant them in serverless.yml custom.functionRoles").toEqual([]);
  });

  it("grants nothing the suites did not exercise, but for the listed exemptions", () => {
    const unexercised: string[] = [];
    for (const role of roles) {
      for (const grant of grantsOf(role)) {
        if (exercised(role.functionName, grant.action, grant.resource)) continue;
        if (exemptionsFor(role.functionName, grant.action, grant.resource).length > 0) continue;
        unexercised.push(`${role.functionName} (${role.roleId}, ${grant.sid}): ${grant.action} on ${grant.resource}`);
      }
    }
    expect(
      unexercised,
      "granted but never called in the int or e2e suites: remove the grant, exercise it in a test, or list it in test/iam/exemptions.ts with the reason",
    ).toEqual([]);
  });

  it("lists no stale exemption: each still matches a grant that no recorded call exercises", () => {
    const stale: string[] = [];
    for (const exemption of EXEMPTIONS) {
      const functions = exemption.functions === "every function" ? roles.map((r) => r.functionName) : exemption.functions;
      for (const functionName of functions) {
        const role = roles.find((r) => r.functionName === functionName);
        if (!role) {
          stale.push(`${functionName}: no such function`);
          continue;
        }
        for (const action of exemption.actions) {
          const grants = grantsOf(role).filter((g) => g.action === action && (exemption.resource === undefined || g.resource === exemption.resource));
          if (grants.length === 0) stale.push(`${functionName}: ${action}${exemption.resource ? ` on ${exemption.resource}` : ""} is not granted`);
          for (const grant of grants) {
            if (exercised(functionName, action, grant.resource)) stale.push(`${functionName}: ${action} on ${grant.resource} is exercised now`);
          }
        }
      }
    }
    expect(stale, "remove these from test/iam/exemptions.ts").toEqual([]);
  });
});
