import { BatchWriteCommand, type BatchGetCommandInput, type BatchGetCommandOutput } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../../../test/support/testServices.js";
import { batchGetItems } from "./batchGetItems.js";

let services: TestServices;
let table: string;
const keyOf = (n: number) => ({ PK: `TEST#${n}`, SK: "ITEM" });

beforeEach(async () => {
  services = await createTestServices();
  table = services.config.tableName;
  await services.db.send(
    new BatchWriteCommand({
      RequestItems: { [table]: [1, 2, 3].map((n) => ({ PutRequest: { Item: { ...keyOf(n), n } } })) },
    }),
  );
});

/**
 * Makes the real table answer like a throttled one: the first `times` BatchGetItem calls are
 * sent on with only their first key, and the other keys come back as UnprocessedKeys.
 */
function deferAllButFirstKey(times: number) {
  const calls: number[] = [];
  services.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (!String(context.commandName).startsWith("BatchGet")) return next(args);
      const input = args.input as BatchGetCommandInput;
      const request = input.RequestItems?.[table];
      const keys = request?.Keys ?? [];
      calls.push(keys.length);
      if (calls.length > times || keys.length < 2) return next(args);
      input.RequestItems = { [table]: { ...request, Keys: keys.slice(0, 1) } };
      const result = await next(args);
      (result.output as BatchGetCommandOutput).UnprocessedKeys = { [table]: { ...request, Keys: keys.slice(1) } };
      return result;
    },
    { step: "initialize", name: "deferAllButFirstKey" },
  );
  return calls;
}

describe("batchGetItems", () => {
  it("asks again for unprocessed keys until every item is read", async () => {
    const calls = deferAllButFirstKey(2);
    const items = await batchGetItems(services.db, table, [keyOf(1), keyOf(2), keyOf(3), keyOf(4)]);

    expect(calls).toEqual([4, 3, 2]);
    expect([1, 2, 3].map((n) => items.get(keyOf(n))?.n)).toEqual([1, 2, 3]);
    expect(items.get(keyOf(4))).toBeUndefined();
  });

  it("gives up with an error instead of answering with items missing", async () => {
    deferAllButFirstKey(Number.POSITIVE_INFINITY);
    await expect(batchGetItems(services.db, table, [keyOf(1), keyOf(2), keyOf(3), keyOf(4), keyOf(5), keyOf(6), keyOf(7)]))
      .rejects.toThrow(/unprocessed/);
  });
});
