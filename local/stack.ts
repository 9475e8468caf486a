import "./localEnv.js";
import { join, resolve } from "node:path";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createSesMailer } from "../src/adapters/mailer/sesMailer.js";
import { fileSecretKey } from "../src/adapters/secrets/fileSecretKey.js";
import { configFromEnv, type AppConfig } from "../src/composition/config.js";
import { createServices, setServices } from "../src/composition/services.js";
import { prepareArtifacts } from "./lambda/artifacts.js";
import { createDefaultBus } from "./cognito/cloudTrail.js";
import { startCognitoLocal } from "./cognito/cognitoLocal.js";
import { listedDeadLetter } from "./events/deadLetters.js";
import { FAIL_POST_CONFIRMATION_MARK, startDynamoFaultProxy } from "./dynamodb/dynamoFaults.js";
import { bootstrapTable } from "./dynamodb/bootstrapTable.js";
import { startDynamoLocal } from "./dynamodb/dynamoLocal.js";
import { deadLettersToQueue, startEventPipeline } from "./events/eventPipeline.js";
import { freePort } from "./server/freePort.js";
import { startGateway } from "./gateway/gateway.js";
import { lambdaContext, loadHandler } from "./lambda/lambdaRuntime.js";
import { startLambdaInvokeServer } from "./lambda/lambdaInvokeServer.js";
import { assertPortsFree } from "./server/listen.js";
import { httpRoutesOf, readServerlessFunctions } from "./lambda/serverlessFunctions.js";
import { startSesServer } from "./ses/sesServer.js";
import { startParametersExtension } from "./ssm/parametersExtension.js";
import { startSqsEventSource } from "./sqs/sqsEventSource.js";
import { startSqsServer } from "./sqs/sqsServer.js";
import { STACK_ENVIRONMENT } from "./stackEnvironment.js";

const ROOT = resolve(import.meta.dirname, "..");

export interface StackOptions {
  /** Gateway port; PORT or 3000 by default, 0 for a free one. */
  port?: number;
  /** Other engines' ports: fixed defaults for `npm start`, free ones when `freePorts` is set. */
  freePorts?: boolean;
  /** Folder for DynamoDB and Cognito data; `.local` by default. Unset `persist` keeps DynamoDB in memory. */
  dataDir?: string;
  persist?: boolean;
  /** One line per progress step; silent when unset. */
  progress?: (line: string) => void;
  /** Request and event log lines; stdout when unset. */
  requestLog?: (line: string) => void;
  /** A target on the user-events rule that always fails (also LOCAL_FAILING_TARGET=1), to see the DLQ. */
  failingTarget?: boolean;
  /**
   * The local fault switch (also LOCAL_FAULTS=1): a PostConfirmation for an address containing
   * "fail-postconfirmation" cannot write the profile, so the sign-up goes through the retry queue.
   */
  faults?: boolean;
  /**
   * Run the handlers inside the zips `npm run package` builds (also LOCAL_ARTIFACTS=1,
   * `npm run start:artifacts`), imported as Lambda imports them, instead of the TypeScript sources.
   */
  artifacts?: boolean;
  /**
   * A part died on its own (DynamoDB Local's Java exited): the stack has stopped every other part
   * and says which one died, in one line; stderr when unset.
   */
  onFailure?: (line: string) => void;
}

export interface Stack {
  apiUrl: string;
  cognitoEndpoint: string;
  dynamoEndpoint: string;
  region: string;
  tableName: string;
  userPoolId: string;
  clientId: string;
  sesEndpoint: string;
  sqsEndpoint: string;
  /** Whether the handlers are the packaged zips' (else the sources). */
  artifacts: boolean;
  stop(): Promise<void>;
}

/** Terraform's queues (terraform/queues.tf), named as there for the stage. */
export function queueNames(stage: string) {
  const prefix = `${stage}-user-service`;
  return {
    eventsDlq: `${prefix}-dlq`,
    relayFailures: `${prefix}-relay-failures`,
    signUpRetry: `${prefix}-signup-retry`,
    signUpRetryDlq: `${prefix}-signup-retry-dlq`,
  };
}
/** Terraform's maxReceiveCount; the visibility timeout is 180 s there, short here so a retry is seen within seconds. */
const SIGN_UP_RETRY_MAX_RECEIVES = 5;
const SIGN_UP_RETRY_VISIBILITY_SECONDS = 5;
/** serverless.yml's batchSize for signUpRetryProcessor's queue. */
const SIGN_UP_RETRY_BATCH_SIZE = 10;

async function portFor(envName: string, fixed: number, free: boolean): Promise<number> {
  const configured = Number(process.env[envName]);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return free ? freePort() : fixed;
}

/** Starts every engine and wires the real handlers to them; `stop()` ends them all, Java included. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const progress = options.progress ?? (() => undefined);
  const free = options.freePorts ?? false;
  const dataDir = resolve(options.dataDir ?? join(ROOT, ".local"));
  const region = process.env.AWS_REGION ?? "us-east-1";
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
  };
  // Half a stack looks alive and answers wrongly; a part that dies takes the whole stack down.
  const partDied = (description: string) => {
    void stop().then(() => (options.onFailure ?? ((line: string) => process.stderr.write(`${line}\n`)))(`${description}: the local stack stopped.`));
  };
  try {
    // The functions: serverless.yml's, run from the sources or from the packaged zips.
    let functions = readServerlessFunctions(ROOT);
    const artifacts = options.artifacts ?? process.env.LOCAL_ARTIFACTS === "1";
    if (artifacts) {
      const prepared = await prepareArtifacts(functions, progress);
      stoppers.push(async () => prepared.remove());
      functions = prepared.functions;
      // The packaged functions' own settings (Powertools, windows...); what the stack sets wins.
      for (const [name, value] of Object.entries(prepared.environment)) process.env[name] ??= value;
      progress(`running the handlers of the packaged zips (${functions.length} functions)`);
    }

    const port = options.port ?? (await portFor("PORT", 3000, free));
    const gatewayPort = port === 0 ? await freePort() : port;
    const dynamoPort = await portFor("DYNAMODB_PORT", 8000, free);
    const lambdaPort = await portFor("LAMBDA_PORT", 9001, free);
    const cognitoPort = await portFor("COGNITO_PORT", 9229, free);
    const eventBridgePort = await portFor("EVENTBRIDGE_PORT", 4010, free);
    const sesPort = await portFor("SES_PORT", 8005, free);
    const sqsPort = await portFor("SQS_PORT", 9324, free);
    const parametersPort = await portFor("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", 2773, free);
    // Before anything starts: a taken port is one clear line, not a Java stack trace.
    await assertPortsFree({
      "API gateway (PORT)": gatewayPort,
      "DynamoDB Local (DYNAMODB_PORT)": dynamoPort,
      "Lambda invoke server (LAMBDA_PORT)": lambdaPort,
      "cognito-local (COGNITO_PORT)": cognitoPort,
      "EventBridge endpoint (EVENTBRIDGE_PORT)": eventBridgePort,
      "SES endpoint (SES_PORT)": sesPort,
      "SQS endpoint (SQS_PORT)": sqsPort,
      "Parameters extension (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT)": parametersPort,
    });
    const apiUrl = `http://localhost:${gatewayPort}`;

    progress("waiting for DynamoDB Local…");
    const dynamo = await startDynamoLocal({
      port: dynamoPort,
      onUnexpectedExit: partDied,
      ...(options.persist === false ? {} : { dbPath: join(dataDir, "dynamodb") }),
    });
    stoppers.push(dynamo.stop);
    const config: AppConfig = {
      ...configFromEnv(),
      environment: "local",
      region,
      dynamoEndpoint: dynamo.endpoint,
      mailer: "ses",
      // The key of the code digests (SSM in AWS): random bytes made on first start, kept with the
      // data, served to the handlers as the code secret parameter (below).
      codeSecretFile: join(dataDir, "code-secret"),
      allowedOrigins: (process.env.ALLOWED_ORIGINS ?? `${apiUrl},http://127.0.0.1:${gatewayPort}`).split(","),
    };
    await bootstrapTable(dynamo.endpoint, config.tableName, region);
    progress(`DynamoDB Local ready on ${dynamo.endpoint}, table ${config.tableName}`);

    progress("starting the SES and SQS endpoints…");
    const ses = await startSesServer({ port: sesPort });
    stoppers.push(ses.stop);
    const queues = queueNames(config.environment);
    const arn = (name: string) => `arn:aws:sqs:${region}:000000000000:${name}`;
    const sqs = await startSqsServer({
      port: sqsPort,
      region,
      queues: [
        { QueueName: queues.eventsDlq },
        { QueueName: queues.relayFailures },
        { QueueName: queues.signUpRetryDlq },
        {
          QueueName: queues.signUpRetry,
          Attributes: {
            VisibilityTimeout: SIGN_UP_RETRY_VISIBILITY_SECONDS,
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(queues.signUpRetryDlq), maxReceiveCount: SIGN_UP_RETRY_MAX_RECEIVES }),
          },
        },
      ],
    });
    stoppers.push(sqs.stop);
    // The code secret as Lambda reads it: through the Parameters and Secrets extension's protocol,
    // with the function's session token; the parameter's value is the local key file, as text.
    const codeSecretParameter = `/user-service/${config.environment}/code-secret`;
    const codeSecretFile = fileSecretKey(config.codeSecretFile ?? join(dataDir, "code-secret"));
    const parameters = await startParametersExtension({
      port: parametersPort,
      region,
      parameters: [{ name: codeSecretParameter, value: async () => Buffer.from(await codeSecretFile()).toString("base64url") }],
    });
    stoppers.push(parameters.stop);
    progress(`SES endpoint ready on ${ses.endpoint} (mail viewer at /), SQS endpoint on ${sqs.endpoint} (${Object.values(queues).join(", ")})`);

    // The local fault switch: the handlers reach DynamoDB Local through a proxy that can refuse writes.
    const faults = options.faults ?? process.env.LOCAL_FAULTS === "1";
    const faultProxy = faults ? await startDynamoFaultProxy({ target: dynamo.endpoint }) : undefined;
    if (faultProxy) stoppers.push(faultProxy.stop);

    // cognito-local names the function in trigger errors ("<name> failed with error ..."), where
    // Cognito names the trigger: invoking by the trigger's name gives Cognito's exact message.
    const triggerFunctions: Record<string, string> = { PreSignUp: "preSignUp", PostConfirmation: "postConfirmation" };
    const lambda = await startLambdaInvokeServer({
      port: lambdaPort,
      functions,
      region,
      aliases: triggerFunctions,
      ...(faultProxy
        ? {
            around: (fn, event, invoke) => {
              const email = (event.request as { userAttributes?: { email?: string } } | undefined)?.userAttributes?.email ?? "";
              const marked = fn.name === "postConfirmation" && email.toLowerCase().includes(FAIL_POST_CONFIRMATION_MARK);
              return marked ? faultProxy.failingMarkedWrites(invoke) : invoke();
            },
          }
        : {}),
    });
    stoppers.push(lambda.stop);

    const log = options.requestLog ?? ((line: string) => process.stdout.write(`${line}\n`));
    // The account's default bus: the CloudTrail records of a user's own DeleteUser and
    // VerifyUserAttribute reach the cognitoSelfService function through it, as in AWS.
    const defaultBusDlq = deadLettersToQueue({ sqs, queue: queues.eventsDlq, eventBusName: "default" });
    const defaultBus = createDefaultBus({ region, functions, log, onDeadLetter: defaultBusDlq.send });
    stoppers.push(async () => {
      await defaultBus.stop();
      defaultBusDlq.stop();
    });

    progress("waiting for cognito-local…");
    const triggers = Object.fromEntries(Object.keys(triggerFunctions).map((trigger) => [trigger, trigger]));
    const cognito = await startCognitoLocal({
      port: cognitoPort,
      dataDir: join(dataDir, "cognito"),
      // Sign-up codes go through the same SES adapter as the service's own mails: one mailbox.
      mailer: createSesMailer({ region, mailFrom: config.mailFrom, sesEndpoint: ses.endpoint }),
      lambdaEndpoint: lambda.endpoint,
      triggers,
      region,
      cloudTrail: (entry) => void defaultBus.put(entry),
    });
    stoppers.push(cognito.stop);
    progress(`cognito-local ready on ${cognito.endpoint}, pool ${cognito.userPoolId}, triggers ${Object.keys(triggers).join(", ")}`);

    const pipeline = await startEventPipeline({
      eventBridgePort,
      region,
      functions,
      failingTarget: options.failingTarget ?? process.env.LOCAL_FAILING_TARGET === "1",
      sqs,
      eventsDlq: queues.eventsDlq,
      relayFailures: queues.relayFailures,
      eventBusName: config.eventBusName,
      // Kept data keeps its stream position: outbox items written while the stack was down are published.
      ...(options.persist === false ? {} : { checkpointFile: join(dataDir, "stream-checkpoint.json") }),
      log,
    });
    stoppers.push(pipeline.stop);

    // Handlers build their graph from the environment on first use, as in Lambda: everything they
    // reach (table, pool, bus, SES, queues) is a local server named here, nothing is shared in process.
    const environment: Record<(typeof STACK_ENVIRONMENT)[number], string | undefined> = {
      DYNAMODB_ENDPOINT: faultProxy?.endpoint ?? dynamo.endpoint,
      TABLE_NAME: config.tableName,
      COGNITO_ENDPOINT: cognito.endpoint,
      COGNITO_USER_POOL_ID: cognito.userPoolId,
      COGNITO_CLIENT_ID: cognito.clientId,
      EVENTBRIDGE_ENDPOINT: pipeline.eventBridgeEndpoint,
      EVENT_BUS_NAME: config.eventBusName,
      ALLOWED_ORIGINS: config.allowedOrigins.join(","),
      // Restore and revert links open the page this gateway serves (WEB_URL overrides).
      WEB_URL: process.env.WEB_URL ?? apiUrl,
      CODE_SECRET_PARAMETER: codeSecretParameter,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(parameters.port),
      AWS_SESSION_TOKEN: parameters.sessionToken,
      MAILER: "ses",
      SES_ENDPOINT: ses.endpoint,
      SQS_ENDPOINT: sqs.endpoint,
      SIGNUP_RETRY_QUEUE_URL: sqs.queueUrl(queues.signUpRetry),
      EVENTS_DLQ_URL: sqs.queueUrl(queues.eventsDlq),
    };
    // Put back on stop: a test process that runs a stack, then builds graphs of its own from the
    // environment, must not reach this stack's (closed) endpoints or mail its links.
    const previous = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
    for (const [name, value] of Object.entries(environment)) if (value !== undefined) process.env[name] = value;
    stoppers.push(async () => {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    // A process may run several stacks in turn (tests), and an entry point keeps the graph it built
    // first, as a Lambda container does: from sources, a graph built from this stack's environment,
    // installed, stands for fresh containers (it holds nothing but what the environment names).
    // Bundles have their own module copies and never see it: each stack unzips them afresh.
    if (!artifacts) {
      setServices(createServices(configFromEnv()));
      stoppers.push(async () => void setServices(undefined));
    }

    // Lambda's event source mapping for the sign-up retry queue: the real processor drains it.
    const processor = functions.find((f) => f.name === "signUpRetryProcessor");
    if (!processor) throw new Error("serverless.yml has no function signUpRetryProcessor");
    const retries = startSqsEventSource({
      endpoint: sqs.endpoint,
      region,
      queueUrl: sqs.queueUrl(queues.signUpRetry),
      queueArn: arn(queues.signUpRetry),
      batchSize: SIGN_UP_RETRY_BATCH_SIZE,
      invoke: async (event: SQSEvent) => {
        const handler = await loadHandler(processor.handler);
        return (await handler(event, lambdaContext(processor.name, 30_000, region))) as SQSBatchResponse;
      },
      log,
    });
    stoppers.push(retries.stop);
    stoppers.push(schedulePurge(functions, region, log));
    await pipeline.startRelay(dynamo.endpoint, config.tableName);
    progress(`event pipeline ready: stream -> outbox relay -> PutEvents ${pipeline.eventBridgeEndpoint} -> bus rules ${pipeline.bus.rules().map((r) => r.name).join(", ")}`);

    const gateway = await startGateway({
      port: gatewayPort,
      routes: httpRoutesOf(functions),
      authorizer: { issuer: cognito.issuer, jwksUri: cognito.jwksUri, clientId: cognito.clientId },
      allowedOrigins: config.allowedOrigins,
      stage: "local",
      region,
      webRoot: join(ROOT, "web"),
      openApiFile: join(ROOT, "docs", "openapi.yaml"),
      root: ROOT,
      local: {
        config: () => ({
          apiUrl,
          cognitoEndpoint: cognito.endpoint,
          region,
          userPoolId: cognito.userPoolId,
          clientId: cognito.clientId,
          sesEndpoint: ses.endpoint,
          sqsEndpoint: sqs.endpoint,
        }),
        mailbox: () => ses.messages(),
        events: () => pipeline.bus.events(),
        dlq: async () => {
          const read = async (queue: string) => (await sqs.browse(queue)).flatMap((m) => listedDeadLetter(m, queue, region, sqs.accountId) ?? []);
          const letters = [...(await read(queues.eventsDlq)), ...(await read(queues.relayFailures))];
          return letters.sort((a, b) => a.failedAt.localeCompare(b.failedAt));
        },
        queues: async () => ({
          queues: Object.values(queues).map((name) => ({ name, url: sqs.queueUrl(name) })),
          signUpRetryDeadLetters: (await sqs.browse(queues.signUpRetryDlq)).map((m) => ({ messageId: m.MessageId, body: m.Body })),
          deliveries: retries.deliveries(),
        }),
      },
      log,
    });
    stoppers.push(gateway.stop);

    return {
      apiUrl,
      cognitoEndpoint: cognito.endpoint,
      dynamoEndpoint: dynamo.endpoint,
      region,
      tableName: config.tableName,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      sesEndpoint: ses.endpoint,
      sqsEndpoint: sqs.endpoint,
      artifacts,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** How often `npm start` runs the purge job (hourly in AWS): a short DELETION_GRACE_DAYS can be watched. */
const PURGE_INTERVAL_MS = 60_000;

/** EventBridge Scheduler's part for purgeAccounts: the real handler every minute, one run at a time. */
function schedulePurge(functions: ReturnType<typeof readServerlessFunctions>, region: string, log: (line: string) => void): () => Promise<void> {
  const job = functions.find((f) => f.name === "purgeAccounts");
  if (!job) throw new Error("serverless.yml has no function purgeAccounts");
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      const handler = await loadHandler(job.handler);
      await handler({ id: `local-purge-${Date.now()}` }, lambdaContext(job.name, 300_000, region));
    })()
      .catch((error: unknown) => log(`purgeAccounts failed: ${(error as Error).message}`))
      .finally(() => {
        running = false;
      });
  }, PURGE_INTERVAL_MS);
  timer.unref();
  return async () => clearInterval(timer);
}
