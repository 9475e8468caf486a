import "./localEnv.js";
import { join, resolve } from "node:path";
import { createDynamoClient } from "../src/adapters/dynamodb/client.js";
import { ensureTable } from "../src/adapters/dynamodb/ensureTable.js";
import { memoryMailbox } from "../src/adapters/mailer/memoryMailbox.js";
import { configFromEnv, type AppConfig } from "../src/composition/config.js";
import { createServices, setServices } from "../src/composition/services.js";
import type { SignUpJob } from "../src/ports/jobQueue.js";
import { createDefaultBus } from "./cognito/cloudTrail.js";
import { startCognitoLocal } from "./cognito/cognitoLocal.js";
import { startDynamoLocal } from "./dynamoLocal.js";
import { startEventPipeline } from "./eventPipeline.js";
import { freePort } from "./freePort.js";
import { startGateway } from "./gateway/gateway.js";
import { startLambdaInvokeServer } from "./lambdaInvokeServer.js";
import { assertPortsFree } from "./listen.js";
import { MemoryJobQueue } from "./memoryJobQueue.js";
import { httpRoutesOf, readServerlessFunctions } from "./serverlessFunctions.js";

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
  stop(): Promise<void>;
}

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
    const port = options.port ?? (await portFor("PORT", 3000, free));
    const gatewayPort = port === 0 ? await freePort() : port;
    const dynamoPort = await portFor("DYNAMODB_PORT", 8000, free);
    const lambdaPort = await portFor("LAMBDA_PORT", 9001, free);
    const cognitoPort = await portFor("COGNITO_PORT", 9229, free);
    const eventBridgePort = await portFor("EVENTBRIDGE_PORT", 4010, free);
    // Before anything starts: a taken port is one clear line, not a Java stack trace.
    await assertPortsFree({
      "API gateway (PORT)": gatewayPort,
      "DynamoDB Local (DYNAMODB_PORT)": dynamoPort,
      "Lambda invoke server (LAMBDA_PORT)": lambdaPort,
      "cognito-local (COGNITO_PORT)": cognitoPort,
      "EventBridge endpoint (EVENTBRIDGE_PORT)": eventBridgePort,
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
      mailer: "memory",
      // The key of the code digests (SSM in AWS): random bytes made on first start, kept with the data.
      codeSecretFile: join(dataDir, "code-secret"),
      allowedOrigins: (process.env.ALLOWED_ORIGINS ?? `${apiUrl},http://127.0.0.1:${gatewayPort}`).split(","),
    };
    const raw = createDynamoClient({ endpoint: dynamo.endpoint, region });
    await ensureTable(raw, config.tableName);
    raw.destroy();
    progress(`DynamoDB Local ready on ${dynamo.endpoint}, table ${config.tableName}`);

    const functions = readServerlessFunctions(ROOT);
    // cognito-local names the function in trigger errors ("<name> failed with error ..."), where
    // Cognito names the trigger: invoking by the trigger's name gives Cognito's exact message.
    const triggerFunctions: Record<string, string> = { PreSignUp: "preSignUp", PostConfirmation: "postConfirmation" };
    const lambda = await startLambdaInvokeServer({ port: lambdaPort, functions, region, aliases: triggerFunctions });
    stoppers.push(lambda.stop);

    const log = options.requestLog ?? ((line: string) => process.stdout.write(`${line}\n`));
    // The account's default bus: the CloudTrail records of a user's own DeleteUser and
    // VerifyUserAttribute reach the cognitoSelfService function through it, as in AWS.
    const defaultBus = createDefaultBus({ region, functions, log });
    stoppers.push(() => defaultBus.stop());

    progress("waiting for cognito-local…");
    const triggers = Object.fromEntries(Object.keys(triggerFunctions).map((trigger) => [trigger, trigger]));
    const cognito = await startCognitoLocal({
      port: cognitoPort,
      dataDir: join(dataDir, "cognito"),
      mailer: memoryMailbox,
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
      // Kept data keeps its stream position: outbox items written while the stack was down are published.
      ...(options.persist === false ? {} : { checkpointFile: join(dataDir, "stream-checkpoint.json") }),
      log,
    });
    stoppers.push(pipeline.stop);

    // Handlers build their graph from the environment on first use; both routes lead to the same graph.
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_NAME: config.tableName,
      COGNITO_ENDPOINT: cognito.endpoint,
      COGNITO_USER_POOL_ID: cognito.userPoolId,
      COGNITO_CLIENT_ID: cognito.clientId,
      EVENTBRIDGE_ENDPOINT: pipeline.eventBridgeEndpoint,
      ALLOWED_ORIGINS: config.allowedOrigins.join(","),
      CODE_SECRET_FILE: config.codeSecretFile,
    });
    const services = createServices(
      {
        ...config,
        cognitoEndpoint: cognito.endpoint,
        userPoolId: cognito.userPoolId,
        appClientId: cognito.clientId,
        eventBridgeEndpoint: pipeline.eventBridgeEndpoint,
      },
      {
        mailer: memoryMailbox,
        signUpRetryQueue: new MemoryJobQueue<SignUpJob>("sign-up-retry"),
        deadLetterQueue: pipeline.deadLetterQueue,
      },
    );
    setServices(services);
    stoppers.push(async () => void setServices(undefined));
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
      local: {
        config: () => ({ apiUrl, cognitoEndpoint: cognito.endpoint, region, userPoolId: cognito.userPoolId, clientId: cognito.clientId }),
        mailbox: memoryMailbox,
        events: () => pipeline.bus.events(),
        dlq: () => [...pipeline.bus.dlq().messages, ...defaultBus.dlq().messages],
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
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
