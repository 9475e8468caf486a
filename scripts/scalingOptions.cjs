/* global module */
// Serverless plugin (serverless.yml `plugins`, after ./scripts/gradualDeploys.cjs): the seed's
// scaling rows that live in the stack, per stage, both off by default:
//   custom.provisionedConcurrency.<stage>.<function>: N
//       N warm instances on the function's `live` alias, the one API Gateway calls in the stages
//       of custom.gradualDeploys (provisioned concurrency needs an alias, and that is the alias
//       traffic reaches; the framework's own `provisionedConcurrency` would add a second alias
//       that API Gateway would call instead, beside CodeDeploy's). Only API functions in those
//       stages; anything else fails the packaging.
//   custom.apiKeys.<stage>.required: true
//       every API method but CORS preflights requires an API key (x-api-key), so each caller is
//       metered and throttled by its usage plan (terraform/api_clients.tf, one per client). Every
//       caller then needs a key, the web app included: give it a client of its own.
// docs/deployment.md, "Scaling options".

class ScalingOptions {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider("aws");
    this.hooks = {
      // After gradualDeploys.cjs (same hook, listed before this plugin): its aliases exist then.
      "after:aws:package:finalize:mergeCustomProviderResources": () => this.apply(),
    };
  }

  apply() {
    const custom = this.serverless.service.custom ?? {};
    const stage = this.provider.getStage();
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const logicalId = (name) => this.provider.naming.getLambdaLogicalId(name);
    applyProvisionedConcurrency(template, custom.provisionedConcurrency?.[stage] ?? {}, logicalId);
    applyApiKeys(template, custom.apiKeys?.[stage] ?? {});
  }
}

const fail = (message) => {
  throw new Error(`serverless.yml: ${message} (scripts/scalingOptions.cjs)`);
};

/** Sets ProvisionedConcurrencyConfig on each named function's `live` alias (gradualDeploys.cjs's). */
function applyProvisionedConcurrency(template, settings, logicalId) {
  for (const [name, count] of Object.entries(settings)) {
    if (!Number.isInteger(count) || count < 0) fail(`custom.provisionedConcurrency: ${name} must be a whole number, not ${count}`);
    if (count === 0) continue;
    const alias = template.Resources[`${logicalId(name)}Alias`];
    if (alias?.Type !== "AWS::Lambda::Alias") {
      fail(`custom.provisionedConcurrency: ${name} has no live alias in this stage (only API functions of custom.gradualDeploys.stages)`);
    }
    alias.Properties.ProvisionedConcurrencyConfig = { ProvisionedConcurrentExecutions: count };
  }
}

/** With `required: true`, every method but OPTIONS (CORS preflights carry no headers of ours) needs an API key. */
function applyApiKeys(template, settings) {
  if (settings.required === undefined || settings.required === false) return;
  if (settings.required !== true) fail(`custom.apiKeys.required must be true or false, not ${settings.required}`);
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type === "AWS::ApiGateway::Method" && resource.Properties.HttpMethod !== "OPTIONS") {
      resource.Properties.ApiKeyRequired = true;
    }
  }
}

module.exports = ScalingOptions;
module.exports.applyProvisionedConcurrency = applyProvisionedConcurrency;
module.exports.applyApiKeys = applyApiKeys;
