import { beforeAll, describe, expect, inject, it } from "vitest";
import { readTemplate, resourcesOfType, type CfnTemplate } from "./support/template.js";
import { readTerraform } from "./support/terraform.js";

/**
 * The code secret's readers get it from the AWS Parameters and Secrets Lambda Extension
 * (src/adapters/secrets/extensionSecretKey.ts), so each carries the extension's layer, the arm64
 * build for the stack's region; no other function runs the extension. Which functions read the
 * secret is test/infra/codeSecret.test.ts's business: here, the layer follows CODE_SECRET_PARAMETER,
 * and the deploy role (terraform/github_oidc.tf) may read the layer, without which CloudFormation
 * cannot create a function that carries it.
 */
const LAYER = /^arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/;

let template: CfnTemplate;
beforeAll(() => {
  template = readTemplate(inject("packageDir"));
});

describe("the parameters extension layer", () => {
  it("is on exactly the functions that read the code secret, arm64 and in the stack's region", () => {
    const functions = resourcesOfType(template, "AWS::Lambda::Function");
    const readers = functions.filter(([, fn]) => (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.CODE_SECRET_PARAMETER);
    expect(readers.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const layers = (fn.Properties?.Layers ?? []) as unknown[];
      const reads = readers.some(([reader]) => reader === id);
      expect(fn.Properties?.Architectures, id).toEqual(["arm64"]);
      if (reads) {
        expect(layers, id).toHaveLength(1);
        expect(layers[0], id).toMatch(LAYER);
      } else {
        expect(layers, id).toEqual([]);
      }
    }
  });
});

describe("the deploy role and the layer", () => {
  it("may read the extension's layer versions in the stack's region, and nothing else of Lambda's layers", async () => {
    const tf = await readTerraform();
    const statements = (tf.data.aws_iam_policy_document?.github_deploy?.[0] as { statement: { sid?: string; actions: string[]; resources: string[] }[] }).statement;
    const layerReads = statements.filter((s) => s.actions.some((a) => a.includes("Layer")));
    expect(layerReads).toEqual([
      expect.objectContaining({
        actions: ["lambda:GetLayerVersion"],
        resources: ["arn:${local.partition}:lambda:${var.region}:*:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:*"],
      }),
    ]);
  });
});
