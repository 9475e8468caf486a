/**
 * The seed's monthly cost model, computed from its stated assumptions instead of copied from its
 * table. Prices: us-east-1 list prices, no free tiers except Cognito's 50,000 MAU (as the seed).
 * Cognito is also priced as AWS bills it today, by the pool's feature plan (COGNITO_PLANS).
 */
export const PRICES = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  apiGatewayRestPerMillion: 3.5,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  cognitoPerMauAfterFree: 0.0055,
  cognitoFreeMau: 50_000,
  eventBridgePerMillionEvents: 1.0,
  cloudWatchLogsPerGbIngested: 0.5,
} as const;

/** The user pool's feature plan (terraform/cognito.tf, variable cognito_feature_plan). */
export type FeaturePlan = "LITE" | "ESSENTIALS" | "PLUS";
export const FEATURE_PLANS: readonly FeaturePlan[] = ["LITE", "ESSENTIALS", "PLUS"];
/** Terraform's default (a test keeps the two equal): the service uses no Essentials feature. */
export const DEFAULT_FEATURE_PLAN: FeaturePlan = "LITE";

/**
 * Cognito user pool prices per MAU signing in directly (not federated), us-east-1, as AWS's pricing
 * page showed them when checked (docs/cost.md). The free MAUs are per account (or organization),
 * shared by all its pools. Bands are marginal: `upTo` MAUs at most at `perMau`.
 */
export const COGNITO_PRICES_CHECKED = "2026-11-29";
export const COGNITO_PLANS: Record<FeaturePlan, { freeMau: number; bands: { upTo: number; perMau: number }[] }> = {
  LITE: {
    freeMau: 10_000,
    bands: [
      { upTo: 100_000, perMau: 0.0055 },
      { upTo: 1_000_000, perMau: 0.0046 },
      { upTo: 10_000_000, perMau: 0.00325 },
      { upTo: Infinity, perMau: 0.0025 },
    ],
  },
  ESSENTIALS: { freeMau: 10_000, bands: [{ upTo: Infinity, perMau: 0.015 }] },
  PLUS: { freeMau: 0, bands: [{ upTo: Infinity, perMau: 0.02 }] },
};

/** What `mau` monthly active users cost on `plan`: the free MAUs first, then each band in turn. */
export function cognitoMonthly(mau: number, plan: FeaturePlan): number {
  const { freeMau, bands } = COGNITO_PLANS[plan];
  let cost = 0;
  let from = freeMau;
  for (const band of bands) {
    if (mau <= from) break;
    cost += (Math.min(mau, band.upTo) - from) * band.perMau;
    from = band.upTo;
  }
  return cost;
}

export interface CostAssumptions {
  apiCallsPerUser: number;
  eventsPerUser: number;
  /** Average billed duration of an API call's handler. */
  lambdaDurationMs: number;
  lambdaMemoryMb: number;
  itemBytes: number;
  /** Share of API calls that are writes (the rest are reads). */
  writeShare: number;
  /** Items stored per user (profile, emails, claims). */
  itemsPerUser: number;
  /** Log bytes written per Lambda invocation. */
  logBytesPerInvocation: number;
  /** Share of invocations that are cold starts, and what their init phase adds (billed since 2025). */
  coldStartShare: number;
  initDurationMs: number;
  /** Price Cognito by today's feature plan; absent, by the seed's flat $0.0055 after 50K free. */
  cognitoPlan?: FeaturePlan;
}

/** The seed's "Cost Assumptions" table, plus what it leaves unsaid (marked). */
export const SEED_ASSUMPTIONS: CostAssumptions = {
  apiCallsPerUser: 10,
  eventsPerUser: 2,
  lambdaDurationMs: 100,
  lambdaMemoryMb: 256,
  itemBytes: 500,
  writeShare: 0.3, // not in the seed
  itemsPerUser: 4, // not in the seed: profile, one email, its claim, one more
  logBytesPerInvocation: 1024, // "1KB average payload"
  coldStartShare: 0, // the seed ignores init time
  initDurationMs: 0,
};

export interface CostLine {
  component: string;
  monthly: number;
}

export function monthlyCost(mau: number, a: CostAssumptions): CostLine[] {
  const apiCalls = mau * a.apiCallsPerUser;
  const events = mau * a.eventsPerUser;
  // Every event is one relay invocation's share (batches are small at these rates) and one consumer call.
  const invocations = apiCalls + events * 2;
  const seconds = (invocations * a.lambdaDurationMs + invocations * a.coldStartShare * a.initDurationMs) / 1000;
  const gbSeconds = seconds * (a.lambdaMemoryMb / 1024);
  const kb = Math.max(1, Math.ceil(a.itemBytes / 1024));
  const writes = apiCalls * a.writeShare;
  const reads = apiCalls - writes;
  // A transactional write costs 2 units per item; a write touches the item and writes its outbox event.
  const writeUnits = writes * 2 * 2 * kb + events * kb;
  const readUnits = reads * 0.5 * Math.ceil(a.itemBytes / 4096) * 2; // strongly consistent query of ~2 items
  const storageGb = (mau * a.itemsPerUser * a.itemBytes) / 1024 ** 3;
  const logsGb = (invocations * a.logBytesPerInvocation) / 1024 ** 3;
  return [
    { component: "Lambda", monthly: gbSeconds * PRICES.lambdaGbSecondArm + (invocations / 1e6) * PRICES.lambdaPerMillionRequests },
    { component: "API Gateway", monthly: (apiCalls / 1e6) * PRICES.apiGatewayRestPerMillion },
    {
      component: "DynamoDB (on-demand)",
      monthly:
        (writeUnits / 1e6) * PRICES.dynamoPerMillionWriteUnits +
        (readUnits / 1e6) * PRICES.dynamoPerMillionReadUnits +
        storageGb * PRICES.dynamoStoragePerGbMonth,
    },
    {
      component: "Cognito",
      monthly: a.cognitoPlan ? cognitoMonthly(mau, a.cognitoPlan) : Math.max(0, mau - PRICES.cognitoFreeMau) * PRICES.cognitoPerMauAfterFree,
    },
    { component: "EventBridge", monthly: (events / 1e6) * PRICES.eventBridgePerMillionEvents },
    { component: "CloudWatch Logs", monthly: logsGb * PRICES.cloudWatchLogsPerGbIngested },
  ];
}

export const total = (lines: CostLine[]) => lines.reduce((sum, line) => sum + line.monthly, 0);

/** The seed's own table, printed beside ours (its Lambda, API Gateway and DynamoDB rows do not follow from its assumptions). */
export const SEED_TABLE: Record<number, Record<string, number>> = {
  10_000: { Lambda: 2, "API Gateway": 4, "DynamoDB (on-demand)": 3, Cognito: 0, EventBridge: 0.1, "CloudWatch Logs": 2 },
  100_000: { Lambda: 15, "API Gateway": 35, "DynamoDB (on-demand)": 25, Cognito: 275, EventBridge: 1, "CloudWatch Logs": 15 },
  1_000_000: { Lambda: 120, "API Gateway": 350, "DynamoDB (on-demand)": 200, Cognito: 2750, EventBridge: 10, "CloudWatch Logs": 100 },
};
