/**
 * `npm run bench`: what each HTTP route costs in DynamoDB round trips, consumed capacity and time,
 * through the real Lambda entry points against DynamoDB Local. Numbers are in-process: no API
 * Gateway, no network to AWS, and DynamoDB Local's latency is not DynamoDB's. The round-trip and
 * capacity counts are what carries over.
 */

// Before the handlers load: Powertools reads these when its singletons are built.
Object.assign(process.env, {
  POWERTOOLS_METRICS_DISABLED: "true",
  POWERTOOLS_TRACE_ENABLED: "false",
  POWERTOOLS_LOG_LEVEL: "SILENT",
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
});
process.removeAllListeners("warning"); // the SDK's Node-version notice would break up the tables

// logMetrics warns on every call of a route that records no metric; a thousand of them would bury the tables.
const EMPTY_METRICS_WARNING = "No application metrics to publish";
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  String(chunk).includes(EMPTY_METRICS_WARNING) ? true : writeStderr(chunk, ...rest)) as typeof process.stderr.write;

const ITERATIONS = Number(process.env.BENCH_ITERATIONS) || 200;
const WARM_UP = Number(process.env.BENCH_WARM_UP) || 20;

async function main() {
  const { startDynamoLocal } = await import("../local/dynamodb/dynamoLocal.js");
  const { bootstrapTable } = await import("../local/dynamodb/bootstrapTable.js");
  const { MemoryMailbox } = await import("../src/adapters/mailer/memoryMailbox.js");
  const { configFromEnv } = await import("../src/composition/config.js");
  const { createServices, setServices } = await import("../src/composition/services.js");
  const { documentClient } = await import("../src/composition/factories/dynamo.js");
  const { apiEvent, lambdaContext } = await import("../test/support/apiEvent.js");
  const { meterDynamo } = await import("./dynamoMeter.js");
  const { routeScenarios, typicalPurgeScenario } = await import("./routeScenarios.js");
  const { printResults } = await import("./benchReport.js");

  const started = performance.now();
  const dynamo = await startDynamoLocal();
  const stopOnSignal = () => void dynamo.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal).once("SIGTERM", stopOnSignal);
  try {
    const config = {
      ...configFromEnv(),
      environment: "bench",
      region: "us-east-1",
      dynamoEndpoint: dynamo.endpoint,
      tableName: "bench-user-service",
      // The app client apiEvent's claims name (test/support/apiEvent.ts).
      appClientId: "test-client",
    };
    await bootstrapTable(dynamo.endpoint, config.tableName, config.region);
    const mailbox = new MemoryMailbox();
    const services = createServices(config, { mailer: mailbox });
    setServices(services);
    const meter = meterDynamo(documentClient(services.config));

    const results = [];
    // Typical accounts to purge are costly to build (each has 50 activity items): fewer of them.
    const purgeCalls = Number(process.env.BENCH_PURGE_ACCOUNTS) || 20;
    const scenarios = [...(await routeScenarios(services, mailbox)), await typicalPurgeScenario(services, mailbox)];
    for (const scenario of scenarios) {
      const typical = scenario.route.includes("typical");
      const inputs = await scenario.prepare(typical ? 1 + purgeCalls : WARM_UP + ITERATIONS);
      const warmUp = typical ? 1 : WARM_UP;
      mailbox.clear();
      const samples = [];
      for (const [i, input] of inputs.entries()) {
        const event = apiEvent(input);
        meter.reset();
        const t0 = performance.now();
        const response = await scenario.handler(event, lambdaContext(scenario.route));
        const handlerMs = performance.now() - t0;
        if (response.statusCode !== scenario.status) {
          throw new Error(`${scenario.route}: expected ${scenario.status}, got ${response.statusCode} ${response.body}`);
        }
        if (i >= warmUp) samples.push({ handlerMs, ...meter.read() });
      }
      results.push({ route: scenario.route, kind: scenario.kind, ...(scenario.allowance ? { allowance: scenario.allowance } : {}), samples });
      process.stderr.write(`  ${scenario.route}: ${samples.length} calls\n`);
    }
    printResults(results, ITERATIONS);
    process.stdout.write(`\nDynamoDB Local ${dynamo.endpoint}, ${ITERATIONS} measured calls per route after ${WARM_UP} warm-up, ${((performance.now() - started) / 1000).toFixed(1)} s in all.\n`);
  } finally {
    await dynamo.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
