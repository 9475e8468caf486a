/* global module */
// Serverless plugin (serverless.yml `plugins`): gradual deploys of the API functions, from
// serverless.yml `custom.gradualDeploys`:
//   stages            the stages deployed gradually (others update every function at once);
//   alias             the alias API Gateway calls instead of the function;
//   deploymentConfig  CodeDeploy's traffic shifting (CodeDeployDefault.LambdaCanary10Percent5Minutes);
//   serviceRole       the ARN of CodeDeploy's role (Terraform's, terraform/deploy_alarms.tf);
//   rollbackAlarms    alarm names; "{function}" stands for the function's name in serverless.yml;
//   watchAlarms       "false" turns the alarm check off (a fix deployed while the alarms already fire).
// In those stages each function with an http event gets an alias on its new version, with
// CloudFormation's CodeDeployLambdaAliasUpdate policy: CodeDeploy shifts the alias to the new
// version by the configured steps and moves it back if an alarm fires meanwhile, and the stack
// update fails (and rolls back) with it. Its API Gateway integration and invoke permission point at
// the alias. The npm plugin serverless-plugin-canary-deployments does the same transformation and
// packages offline with osls, but npm installs its peer dependency `serverless` (v4) with it, whose
// `serverless`/`sls` bins collide with osls's and whose install downloads a binary; this file
// keeps the transformation to what this service uses (docs/deployment.md, "Gradual deploys").

const APPLICATION = "GradualDeployApplication";

class GradualDeploys {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider("aws");
    this.hooks = {
      // The template is complete then: functions, versions, API methods and custom resources.
      "after:aws:package:finalize:mergeCustomProviderResources": () => this.apply(),
    };
  }

  fail(message) {
    throw new Error(`serverless.yml: ${message} (scripts/gradualDeploys.cjs)`);
  }

  config() {
    const config = this.serverless.service.custom?.gradualDeploys ?? this.fail("custom.gradualDeploys is missing");
    for (const key of ["stages", "alias", "deploymentConfig", "serviceRole", "rollbackAlarms"]) {
      if (!config[key]) this.fail(`custom.gradualDeploys.${key} is missing`);
    }
    return config;
  }

  apply() {
    const config = this.config();
    if (!config.stages.includes(this.provider.getStage())) return;
    const naming = this.provider.naming;
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const entries = Object.entries(resources);
    // A fixed name (the stack's) so the deploy role's CodeDeploy grants can name it.
    resources[APPLICATION] = { Type: "AWS::CodeDeploy::Application", Properties: { ApplicationName: naming.getStackName(), ComputePlatform: "Lambda" } };
    const service = this.serverless.service;
    const apiFunctions = service.getAllFunctions().filter((name) => (service.getFunction(name).events ?? []).some((event) => event.http));
    for (const name of apiFunctions) {
      const fnId = naming.getLambdaLogicalId(name);
      const isFunction = (value) => JSON.stringify(value) === JSON.stringify({ "Fn::GetAtt": [fnId, "Arn"] });
      const version = entries.find(([, r]) => r.Type === "AWS::Lambda::Version" && r.Properties?.FunctionName?.Ref === fnId);
      if (!version) this.fail(`function ${name} has no version (provider.versionFunctions must stay on)`);
      const groupId = `${fnId}DeploymentGroup`;
      const aliasId = `${fnId}Alias`;
      resources[groupId] = {
        Type: "AWS::CodeDeploy::DeploymentGroup",
        Properties: {
          ApplicationName: { Ref: APPLICATION },
          DeploymentGroupName: name,
          ServiceRoleArn: config.serviceRole,
          DeploymentConfigName: config.deploymentConfig,
          DeploymentStyle: { DeploymentType: "BLUE_GREEN", DeploymentOption: "WITH_TRAFFIC_CONTROL" },
          AlarmConfiguration: { Enabled: String(config.watchAlarms) !== "false", Alarms: config.rollbackAlarms.map((alarm) => ({ Name: alarm.split("{function}").join(name) })) },
          AutoRollbackConfiguration: { Enabled: true, Events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] },
        },
      };
      resources[aliasId] = {
        Type: "AWS::Lambda::Alias",
        // The group (its traffic shifting, its alarms) is updated before the alias it deploys.
        DependsOn: [groupId],
        Properties: { FunctionName: { Ref: fnId }, FunctionVersion: { "Fn::GetAtt": [version[0], "Version"] }, Name: config.alias },
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: APPLICATION }, DeploymentGroupName: { Ref: groupId } } },
      };
      let methods = 0;
      for (const [, resource] of entries) {
        if (resource.Type === "AWS::ApiGateway::Method") {
          const uri = resource.Properties?.Integration?.Uri?.["Fn::Join"]?.[1];
          const at = Array.isArray(uri) ? uri.findIndex(isFunction) : -1;
          if (at >= 0) {
            uri[at] = { Ref: aliasId };
            methods += 1;
          }
        }
        if (resource.Type === "AWS::Lambda::Permission" && resource.Properties?.Principal === "apigateway.amazonaws.com" && isFunction(resource.Properties.FunctionName)) {
          resource.Properties.FunctionName = { Ref: aliasId };
        }
      }
      if (methods === 0) this.fail(`function ${name} has an http event but no API Gateway method calls it`);
    }
  }
}

module.exports = GradualDeploys;
