import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** What one request cost in DynamoDB terms. */
export interface DynamoUsage {
  calls: number;
  capacityUnits: number;
  dynamoMs: number;
  operations: string[];
}

interface CapacityShape {
  CapacityUnits?: number;
}

/**
 * Counts DynamoDB round trips, their time and their consumed capacity, by asking every
 * command for ReturnConsumedCapacity=TOTAL at the client's middleware stack. Bench-only.
 */
export function meterDynamo(client: DynamoDBDocumentClient) {
  let usage: DynamoUsage = { calls: 0, capacityUnits: 0, dynamoMs: 0, operations: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= "TOTAL";
      const started = performance.now();
      const result = await next(args);
      usage.dynamoMs += performance.now() - started;
      usage.calls += 1;
      usage.operations.push(String(context.commandName ?? "?").replace(/Command$/, ""));
      const consumed = (result.output as { ConsumedCapacity?: CapacityShape | CapacityShape[] }).ConsumedCapacity;
      for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        usage.capacityUnits += entry.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: "initialize", name: "benchDynamoMeter" },
  );
  return {
    reset() {
      usage = { calls: 0, capacityUnits: 0, dynamoMs: 0, operations: [] };
    },
    /** A snapshot: later calls (the next request's setup) must not change a recorded sample. */
    read(): DynamoUsage {
      return { ...usage, operations: [...usage.operations] };
    },
  };
}
