import { beforeAll, describe, expect, inject, it } from "vitest";
import { asList, readTemplate, resourcesOfType, type CfnTemplate, type IamStatement } from "./support/template.js";
import { readTerraform, resource, type TerraformConfig } from "./support/terraform.js";

/**
 * The functions that take keyed digests: the three that hash verification codes and the ones that
 * sign listing cursors. The only ones that may read the code secret.
 */
const CODE_FUNCTIONS = [
  "AddEmailLambdaFunction",
  "SendVerificationLambdaFunction",
  "ConfirmVerificationLambdaFunction",
  "GetMyActivityLambdaFunction",
  "AdminGetUserActivityLambdaFunction",
  // The admin listing (GET /admin/users?status=) signs its cursor the same way.
  "AdminFindUsersLambdaFunction",
  // Link tokens (SPEC 12.1, 12.3): written at deletion and primary change, read by the public routes.
  "DeleteMeLambdaFunction",
  "SetPrimaryEmailLambdaFunction",
  "RestoreAccountLambdaFunction",
  "RevertPrimaryEmailLambdaFunction",
];
const PARAMETER = "/user-service/ci/code-secret";

let template: CfnTemplate;
let tf: TerraformConfig;
beforeAll(async () => {
  template = readTemplate(inject("packageDir"));
  tf = await readTerraform();
});

const statementsOf = (roleId: string): IamStatement[] =>
  ((template.Resources[roleId]?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: IamStatement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
const roleOf = (functionId: string) => (template.Resources[functionId]?.Properties?.Role as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] ?? "";
const environmentOf = (functionId: string) =>
  (template.Resources[functionId]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;

describe("the code secret", () => {
  it("is a SecureString Terraform writes under the stage's prefix", () => {
    expect(resource(tf, "aws_ssm_parameter", "code_secret")).toMatchObject({
      name: "${local.ssm_prefix}/code-secret",
      type: "SecureString",
      value: "${random_password.code_secret.result}",
    });
  });

  it("is named to the functions that hash codes, and only to them", () => {
    for (const [id] of resourcesOfType(template, "AWS::Lambda::Function")) {
      expect(environmentOf(id).CODE_SECRET_PARAMETER, id).toBe(CODE_FUNCTIONS.includes(id) ? PARAMETER : undefined);
    }
  });

  it("may be read by their role alone, on exactly that parameter", () => {
    const readers = resourcesOfType(template, "AWS::IAM::Role").filter(([id]) =>
      statementsOf(id).some((s) => asList(s.Action).some((a) => a.startsWith("ssm:"))),
    );
    expect(readers.map(([id]) => id).sort()).toEqual(CODE_FUNCTIONS.map(roleOf).sort());
    for (const [id] of readers) {
      const [grant, ...others] = statementsOf(id).filter((s) => asList(s.Action).some((a) => a.startsWith("ssm:")));
      expect(others).toEqual([]);
      expect(grant).toMatchObject({
        Action: ["ssm:GetParameter"],
        Resource: [{ "Fn::Sub": `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${PARAMETER}` }],
      });
    }
  });
});
