import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { Router } from "cognito-local/lib/server/Router.js";
import { createServer } from "cognito-local/lib/server/server.js";
import type { Config } from "cognito-local/lib/server/config.js";
import { CognitoServiceFactoryImpl } from "cognito-local/lib/services/cognitoService.js";
import { CryptoService } from "cognito-local/lib/services/crypto.js";
import { StormDBDataStoreFactory } from "cognito-local/lib/services/dataStore/stormDb.js";
import { DateClock, LambdaService, TriggersService, type Services } from "cognito-local/lib/services/index.js";
import type { FunctionConfig } from "cognito-local/lib/services/lambda.js";
import { JwtTokenGenerator } from "cognito-local/lib/services/tokenGenerator.js";
import { UserPoolServiceFactoryImpl } from "cognito-local/lib/services/userPoolService.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import type { Mailer } from "../../src/ports/mailer.js";
import { cognitoRequestGuard } from "./cognitoRequestGuard.js";
import { rateLimitsFromText, requestQuotas, type RateLimits, type RequestQuotas } from "./requestQuotas.js";
import type { BusEntry } from "../events/eventBus.js";
import { close, listen } from "../server/listen.js";
import { closeGaps } from "./closeGaps.js";
import { mailboxMessages } from "./mailboxMessages.js";
import { ensurePool, keepPoolInStep, type LocalPool } from "./poolSettings.js";

// cognito-local's own dependencies (AWS SDK v2 for the Lambda client, pino), resolved from it.
const requireFromCognitoLocal = createRequire(createRequire(import.meta.url).resolve("cognito-local"));
const AWS = requireFromCognitoLocal("aws-sdk") as typeof import("aws-sdk");
const pino = requireFromCognitoLocal("pino") as typeof import("pino").default;

export interface CognitoLocalOptions {
  port: number;
  /** Folder for pools, clients and users; kept between runs. */
  dataDir: string;
  /** Where sign-up codes go: the SESv2 adapter on the local SES server (the stack), a test mailbox. */
  mailer: Mailer;
  /** The Lambda-Invoke endpoint that runs our triggers, and the function name per trigger. */
  lambdaEndpoint?: string;
  triggers?: FunctionConfig;
  region: string;
  /** Receives the CloudTrail record of a successful DeleteUser, as the default bus would (see closeGaps). */
  cloudTrail?: (entry: BusEntry) => void;
  /**
   * Request rates per quota category, above which calls get TooManyRequestsException. Unset:
   * COGNITO_LOCAL_RATE_LIMITS (`UserUpdate=25,UserRead=120`), and without it no throttling.
   */
  rateLimits?: RateLimits;
}

export interface CognitoLocal extends LocalPool {
  endpoint: string;
  /** Calls counted per operation, and the rate limits, changeable while running. */
  quotas: RequestQuotas;
  issuer: string;
  jwksUri: string;
  stop(): Promise<void>;
}

/**
 * cognito-local, run in this process from its own building blocks so that its codes reach the
 * mailbox and its gaps are closed in its router (see closeGaps), then the pool and client ensured.
 */
export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const endpoint = `http://127.0.0.1:${options.port}`;
  const dataDirectory = join(options.dataDir, "db");
  mkdirSync(dataDirectory, { recursive: true });
  const logger = pino({ level: process.env.COGNITO_LOCAL_LOG_LEVEL ?? "silent" });
  const ctx = { logger };
  const config: Config = {
    LambdaClient: {
      endpoint: options.lambdaEndpoint ?? "http://127.0.0.1:1",
      region: options.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxRetries: 0,
    },
    TriggerFunctions: options.triggers ?? {},
    UserPoolDefaults: { UsernameAttributes: ["email"] },
    TokenConfig: { IssuerDomain: endpoint },
    ServerConfig: { port: options.port, hostname: "127.0.0.1", https: false },
  };
  const clock = new DateClock();
  const dataStores = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDirectory,
    dataStores,
    new UserPoolServiceFactoryImpl(clock, dataStores),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = new TriggersService(
    clock,
    cognito,
    new LambdaService(config.TriggerFunctions, new AWS.Lambda(config.LambdaClient)),
    new CryptoService(config.KMSConfig),
  );
  const services: Services = {
    clock,
    cognito,
    config,
    messages: mailboxMessages(options.mailer),
    otp: () => String(randomInt(0, 1_000_000)).padStart(6, "0"),
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const app = createServer(closeGaps(Router(services), services, { region: options.region, ...(options.cloudTrail ? { cloudTrail: options.cloudTrail } : {}) }), logger, config.ServerConfig, services);
  const quotas = requestQuotas(options.rateLimits ?? rateLimitsFromText(process.env.COGNITO_LOCAL_RATE_LIMITS));
  const server: Server = await listen(cognitoRequestGuard(app.application, quotas), options.port, "cognito-local");

  const client = new CognitoIdentityProviderClient({ region: options.region, ...localEndpoint(endpoint) });
  try {
    const pool = await ensurePool(client);
    await keepPoolInStep(ctx, await cognito.getUserPool(ctx, pool.userPoolId));
    return {
      ...pool,
      endpoint,
      quotas,
      issuer: `${endpoint}/${pool.userPoolId}`,
      jwksUri: `${endpoint}/${pool.userPoolId}/.well-known/jwks.json`,
      stop: () => close(server),
    };
  } finally {
    client.destroy();
  }
}
