import { setTimeout as sleep } from "node:timers/promises";
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

type Key = Record<string, string>;
type Item = Record<string, unknown>;

const MAX_TRIES = 6;

/**
 * Reads a few items of one table in one strongly consistent round trip. DynamoDB may answer
 * part of a batch and hand the rest back as UnprocessedKeys (throttling, size); those are asked
 * again with backoff, so a caller always gets every item that exists or an error.
 */
export async function batchGetItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
): Promise<ItemsByKey> {
  const found: Item[] = [];
  let pending: Key[] = [...keys];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_TRIES) throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed`);
    if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
    const { Responses, UnprocessedKeys } = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    found.push(...(Responses?.[tableName] ?? []));
    pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
  }
  return new ItemsByKey(found);
}

/** BatchGetItem answers in no particular order: look items up by their key. */
export class ItemsByKey {
  private readonly items = new Map<string, Item>();

  constructor(items: readonly Item[]) {
    for (const item of items) this.items.set(keyString(item), item);
  }

  get(key: { PK: string; SK: string }): Item | undefined {
    return this.items.get(keyString(key));
  }
}

const keyString = (item: Item) => `${String(item.PK)}\u0000${String(item.SK)}`;
