import { ARN } from "./policies.js";

/**
 * Granted actions no recorded call exercises, each with the reason it is granted anyway. The IAM
 * evidence test (roles.test.ts) fails on any other unexercised grant, and on an entry here that no
 * longer matches a grant or whose action the suites now exercise: the list only shrinks.
 *
 * `functions`: serverless.yml names, or "every function"; `resource`: the granted resource as
 * resolved in the test account (policies.ts ARN), or every resource of the action when omitted.
 */
export interface Exemption {
  functions: readonly string[] | "every function";
  actions: readonly string[];
  resource?: string;
  reason: string;
}

export const EXEMPTIONS: readonly Exemption[] = [
  {
    functions: "every function",
    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
    reason: "The Lambda runtime writes the function's logs with its role; the code makes no CloudWatch Logs call.",
  },
  {
    functions: "every function",
    actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    reason: "Tracing is on: the Lambda service and the X-Ray daemon send segments with the role; the code makes no X-Ray API call.",
  },
  {
    functions: ["outboxRelay"],
    actions: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
    resource: ARN.tableStream,
    reason: "The stream event source mapping reads the table's stream with the function's role (locally, local/dynamodb/streamPoller.ts does).",
  },
  {
    functions: ["outboxRelay"],
    actions: ["sqs:SendMessage"],
    resource: ARN.relayFailureQueue,
    reason: "The stream event source mapping's on-failure destination: Lambda sends the failed batch's pointer with the function's role.",
  },
  {
    functions: ["cognitoSync", "cognitoSelfService"],
    actions: ["sqs:SendMessage"],
    resource: ARN.eventsDlq,
    reason: "The asynchronous invocation's on-failure destination: Lambda sends the failed event with the function's role.",
  },
  {
    functions: ["signUpRetryProcessor"],
    actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
    resource: ARN.signUpRetryQueue,
    reason: "The SQS event source mapping polls and deletes with the function's role; the handler only gets the batch.",
  },
];
