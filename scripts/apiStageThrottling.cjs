/* global module, require */
// Serverless plugin (serverless.yml `plugins`): API Gateway throttling of the stage, from
// serverless.yml `custom.apiThrottling`:
//   rateLimit / burstLimit         the stage default, every method;
//   strict.rateLimit / burstLimit  stricter limits for the routes in strict.routes ("POST /path").
// The framework creates the stage through its deployment, not as a template resource, and applies
// stage settings (tracing, logs) with UpdateStage after the stack deploys; a Deployment's
// StageDescription is refused once the stage exists. So this does the same: after every deploy it
// patches the stage's method settings. Packaging checks that every strict route is a route of
// this service, so a renamed route cannot silently lose its limit.

// The method-setting key of a resource path: "/users/me" is "~1users~1me".
const settingKey = (path) => `/${path.split("/").join("~1")}`;

/**
 * UpdateStage patch operations for a throttling config: the stage default (key "*" + "/" + "*"),
 * then one override per strict route (API Gateway's method-setting key is the resource path with "/"
 * escaped as "~1", then the HTTP method).
 */
function stageThrottlingPatch(config) {
  const limits = (key, throttle) => [
    { op: "replace", path: `${key}/throttling/rateLimit`, value: String(throttle.rateLimit) },
    { op: "replace", path: `${key}/throttling/burstLimit`, value: String(throttle.burstLimit) },
  ];
  const routes = config.strict?.routes ?? [];
  return [
    ...limits("/*/*", config),
    ...routes.flatMap((route) => {
      const [method, path] = route.split(" ");
      return limits(`${settingKey(path)}/${method.toUpperCase()}`, config.strict);
    }),
  ];
}

/** "METHOD /path" of every http event of the service, as API Gateway names them. */
function httpRoutes(service) {
  return Object.values(service.functions ?? {}).flatMap((fn) =>
    (fn.events ?? [])
      .filter((event) => event.http)
      .map((event) => (typeof event.http === "string" ? event.http.split(" ") : [event.http.method, event.http.path]))
      .map(([method, path]) => `${String(method).toUpperCase()} /${String(path).replace(/^\//, "")}`),
  );
}

class ApiStageThrottling {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider("aws");
    this.hooks = {
      "before:package:finalize": () => this.check(),
      "after:deploy:deploy": () => this.apply(),
    };
  }

  config() {
    const config = this.serverless.service.custom?.apiThrottling;
    if (!config) throw new Error("serverless.yml: custom.apiThrottling is missing (scripts/apiStageThrottling.cjs)");
    return config;
  }

  check() {
    const config = this.config();
    const served = new Set(httpRoutes(this.serverless.service));
    const unknown = (config.strict?.routes ?? []).filter((route) => !served.has(route));
    if (unknown.length > 0) throw new Error(`custom.apiThrottling.strict.routes names routes the service does not serve: ${unknown.join(", ")}`);
  }

  async apply() {
    // Loaded only at deploy: packaging stays offline. Serverless loads this file with require().
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { CloudFormationClient, DescribeStackResourceCommand } = require("@aws-sdk/client-cloudformation");
    const { APIGatewayClient, UpdateStageCommand } = require("@aws-sdk/client-api-gateway");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const sdkConfig = await this.provider.getAwsSdkV3Config();
    const stack = await new CloudFormationClient(sdkConfig).send(
      new DescribeStackResourceCommand({ StackName: this.provider.naming.getStackName(), LogicalResourceId: "ApiGatewayRestApi" }),
    );
    const restApiId = stack.StackResourceDetail?.PhysicalResourceId;
    if (!restApiId) throw new Error("apiStageThrottling: the stack has no ApiGatewayRestApi");
    await new APIGatewayClient(sdkConfig).send(
      new UpdateStageCommand({
        restApiId,
        stageName: this.provider.getApiGatewayStage(),
        patchOperations: stageThrottlingPatch(this.config()),
      }),
    );
  }
}

module.exports = ApiStageThrottling;
module.exports.stageThrottlingPatch = stageThrottlingPatch;
