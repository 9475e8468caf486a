import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Evidence for the IAM test (test/iam/): which AWS calls each Lambda function makes. On only when
 * AWS_CALL_RECORD_DIR names a folder (the int and e2e suites set it); otherwise `traced()` never
 * reaches this module's recorder and clients stay as the SDK made them.
 *
 * The function making a call comes from an AsyncLocalStorage entered by whoever invokes a handler
 * (local/lambda/lambdaRuntime.ts, the int tests' handler wrapper). Calls made outside any function (test
 * setup, use cases called directly) are not recorded.
 */
export const RECORD_DIR_ENV = "AWS_CALL_RECORD_DIR";

/** One distinct call: a function, an IAM service prefix, the SDK operation and the resource it named. */
export interface AwsCallRecord {
  function: string;
  /** IAM service prefix: dynamodb, sqs, events, cognito-idp, ses, ssm; the client's name if unknown. */
  service: string;
  /** The SDK operation (command name without "Command"): GetItem, TransactWriteItems, SendMessage. */
  action: string;
  /**
   * What the call named: a table ("<table>" or "<table>/index/<index>"), a queue URL, a bus name, a
   * pool id, the sender address (or identity ARN), a parameter name; "" when none was found.
   */
  resource: string;
  /** A transaction item's own operation: Put, Update, Delete, ConditionCheck (writes), Get (reads). */
  part?: string;
}

// One store per process, shared by every copy of this module (a bundled handler carries its own).
const STORE_KEY = Symbol.for("user-service.awsCallRecorder.function");
const globals = globalThis as { [STORE_KEY]?: AsyncLocalStorage<string> };
const currentFunction = (globals[STORE_KEY] ??= new AsyncLocalStorage<string>());

/** Runs `body` (a handler invocation) as the named serverless.yml function. */
export function runAsFunction<T>(functionName: string, body: () => T): T {
  return currentFunction.run(functionName, body);
}

const SERVICES: Record<string, string> = {
  DynamoDBClient: "dynamodb",
  SQSClient: "sqs",
  EventBridgeClient: "events",
  CognitoIdentityProviderClient: "cognito-idp",
  SESv2Client: "ses",
  SSMClient: "ssm",
};

type Input = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): Input[] => (Array.isArray(value) ? (value as Input[]) : []);

/** The resources one call names, with the transaction part where there is one. */
function resourcesOf(service: string, action: string, input: Input): { resource: string; part?: string }[] {
  switch (service) {
    case "dynamodb": {
      if (action === "BatchGetItem" || action === "BatchWriteItem") {
        return Object.keys((input.RequestItems as Input | undefined) ?? {}).map((resource) => ({ resource }));
      }
      if (action === "TransactWriteItems" || action === "TransactGetItems") {
        return list(input.TransactItems).flatMap((item) =>
          Object.entries(item).map(([part, body]) => ({ resource: str((body as Input | undefined)?.TableName), part })),
        );
      }
      const table = str(input.TableName);
      return [{ resource: input.IndexName ? `${table}/index/${str(input.IndexName)}` : table }];
    }
    case "sqs":
      return [{ resource: str(input.QueueUrl) }];
    case "events": {
      const buses = new Set(list(input.Entries).map((entry) => str(entry.EventBusName) || "default"));
      return [...buses].map((resource) => ({ resource }));
    }
    case "cognito-idp":
      return [{ resource: str(input.UserPoolId) }];
    case "ses":
      return [{ resource: str(input.FromEmailAddressIdentityArn) || str(input.FromEmailAddress) }];
    case "ssm":
      return (input.Names ? (input.Names as string[]) : [str(input.Name)]).map((resource) => ({ resource }));
    default:
      return [{ resource: "" }];
  }
}

interface Recorder {
  file: string;
  seen: Set<string>;
}
const recorders = new Map<string, Recorder>();

function recorderFor(dir: string): Recorder {
  let recorder = recorders.get(dir);
  if (!recorder) {
    mkdirSync(dir, { recursive: true });
    recorder = { file: join(dir, `${process.pid}-${randomUUID()}.jsonl`), seen: new Set() };
    recorders.set(dir, recorder);
  }
  return recorder;
}

/** Writes each distinct call once per process, as it happens (a killed process keeps what it saw). */
function record(dir: string, clientName: string, commandName: string, input: Input): void {
  const fn = currentFunction.getStore();
  if (!fn) return;
  const service = SERVICES[clientName] ?? clientName;
  const action = commandName.replace(/Command$/, "");
  const recorder = recorderFor(dir);
  for (const { resource, part } of resourcesOf(service, action, input)) {
    const entry: AwsCallRecord = { function: fn, service, action, resource, ...(part ? { part } : {}) };
    const line = JSON.stringify(entry);
    if (recorder.seen.has(line)) continue;
    recorder.seen.add(line);
    appendFileSync(recorder.file, `${line}\n`);
  }
}

/**
 * Records a call an adapter makes without an SDK client of its own: the code secret, which the
 * Parameters and Secrets Lambda Extension reads from SSM with the function's role. Named as the
 * SDK would name it (client and command), so it is evaluated like any other call.
 */
export function recordCall(clientName: string, commandName: string, input: Input): void {
  const dir = process.env[RECORD_DIR_ENV];
  if (!dir) return;
  try {
    record(dir, clientName, commandName, input);
  } catch {
    // Evidence is best effort, as in recordCalls.
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { input: unknown }) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: "initialize"; name: string; override: boolean },
    ): void;
  };
}

/** Adds the recording middleware to an SDK v3 client: it notes the call, then sends it unchanged. */
export function recordCalls<Client>(client: Client, dir: string): Client {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        record(dir, context.clientName ?? "", context.commandName ?? "", (args.input ?? {}) as Input);
      } catch {
        // Evidence is best effort: a recording failure must not change what the call does.
      }
      return next(args);
    },
    { step: "initialize", name: "awsCallRecorder", override: true },
  );
  return client;
}
