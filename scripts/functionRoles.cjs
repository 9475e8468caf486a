/* global module */
// Serverless plugin (serverless.yml `plugins`): one IAM role per function, from serverless.yml
//   custom.roleResources   name -> ARN (CloudFormation value) of every resource a role may name;
//   custom.functionRoles   function -> { resource name: [actions its code calls on it] }.
// Each function gets `<Function>Role` with exactly those statements, plus what Lambda itself does
// with the function's role, derived from the function's own settings:
//   - its log group's streams (logs:CreateLogStream, logs:PutLogEvents; the group is a resource);
//   - X-Ray segments (tracing is on; X-Ray accepts only "*");
//   - a `stream` event: reading that stream; an `sqs` event: receiving from and deleting on that
//     queue; an SQS on-failure destination (function or stream event): sending to that queue.
// Every role carries custom.functionRoleBoundary. Packaging fails when a function has no entry,
// sets a role of its own, or an entry names an unknown resource: no function falls back to a
// shared role. test/iam/ proves each granted action from the calls the test suites record.

const STREAM_READ = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];
const QUEUE_RECEIVE = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

const asList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

class FunctionRoles {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider("aws");
    this.hooks = {
      // Before the framework decides whether it needs its shared role (it does not when every
      // function has one) and before the functions are compiled with their Role.
      "before:package:setupProviderConfiguration": () => this.addRoles(),
    };
  }

  fail(message) {
    throw new Error(`serverless.yml: ${message} (scripts/functionRoles.cjs)`);
  }

  addRoles() {
    const service = this.serverless.service;
    const custom = service.custom ?? {};
    const resources = custom.roleResources ?? this.fail("custom.roleResources is missing");
    const roles = custom.functionRoles ?? this.fail("custom.functionRoles is missing");
    const boundary = custom.functionRoleBoundary ?? this.fail("custom.functionRoleBoundary is missing");
    const naming = this.provider.naming;
    const functionNames = service.getAllFunctions();
    for (const name of Object.keys(roles)) {
      if (!functionNames.includes(name)) this.fail(`custom.functionRoles.${name} names no function`);
    }
    service.resources = service.resources ?? {};
    service.resources.Resources = service.resources.Resources ?? {};
    for (const name of functionNames) {
      const fn = service.getFunction(name);
      if (fn.role) this.fail(`function ${name} sets its own role; give it an entry in custom.functionRoles instead`);
      const grants = roles[name] ?? this.fail(`function ${name} has no entry in custom.functionRoles`);
      const statements = Object.entries(grants).map(([resource, actions]) => {
        if (!(resource in resources)) this.fail(`custom.functionRoles.${name}: unknown resource ${resource} (custom.roleResources)`);
        return { Sid: resource, Effect: "Allow", Action: asList(actions), Resource: [resources[resource]] };
      });
      statements.push(...this.lambdaStatements(name, fn));
      const logicalId = `${naming.getNormalizedFunctionName(name)}Role`;
      service.resources.Resources[logicalId] = {
        Type: "AWS::IAM::Role",
        Properties: {
          PermissionsBoundary: boundary,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
          },
          Policies: [{ PolicyName: name, PolicyDocument: { Version: "2012-10-17", Statement: statements } }],
        },
      };
      fn.role = logicalId;
    }
  }

  /** What the Lambda service and runtime do with the function's role, from its settings. */
  lambdaStatements(name, fn) {
    const logGroup = this.provider.naming.getLogGroupName(fn.name);
    const statements = [
      {
        Sid: "Logs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [{ "Fn::Sub": `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroup}:*` }],
      },
      { Sid: "Traces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    ];
    const failureQueues = [];
    const onFailure = (destinations, where) => {
      const target = destinations?.onFailure;
      if (!target) return;
      if (typeof target !== "object" || target.type !== "sqs") this.fail(`${where}: only SQS on-failure destinations get a role statement`);
      failureQueues.push(target.arn);
    };
    onFailure(fn.destinations, `function ${name}`);
    asList(fn.events).forEach((event, index) => {
      if (event.stream) {
        const arn = typeof event.stream === "object" ? event.stream.arn : event.stream;
        statements.push({ Sid: `EventSourceStream${index}`, Effect: "Allow", Action: STREAM_READ, Resource: [arn] });
        onFailure(event.stream.destinations, `function ${name}, stream event`);
      }
      if (event.sqs) {
        const arn = typeof event.sqs === "object" ? event.sqs.arn : event.sqs;
        statements.push({ Sid: `EventSourceQueue${index}`, Effect: "Allow", Action: QUEUE_RECEIVE, Resource: [arn] });
      }
    });
    if (failureQueues.length > 0) {
      statements.push({ Sid: "FailedInvocations", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: failureQueues });
    }
    return statements;
  }
}

module.exports = FunctionRoles;
