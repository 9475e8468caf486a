import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "../../src/adapters/dynamodb/keys.js";
import { GSI1, GSI2 } from "../../src/adapters/dynamodb/tableDefinition.js";
import { userActor } from "../../src/domain/activity.js";
import { deleteAccount } from "../../src/usecases/deleteAccount.js";
import { updateProfile } from "../../src/usecases/updateProfile.js";
import { api } from "./apiClient.js";
import { addedEmail, signUpUser, verifiedEmail } from "./fixtures.js";
import type { TestServices } from "./testServices.js";

export interface TypicalAccount {
  userId: string;
  /** Every address the account holds, the primary first. */
  addresses: string[];
  /** The token item a link pointer of the account names. */
  linkTokenKey: { PK: string; SK: string };
}

/**
 * A typical account to purge (the bench shape): 5 addresses (the primary, two verified,
 * two unverified with live codes, one of them added through the HTTP route with an
 * Idempotency-Key so an idempotency record exists), 50 activity items, the user's rate window,
 * a link pointer and its token item; deleted, unless `deleted: false`.
 */
export async function typicalAccount(services: TestServices, options: { deleted?: boolean; activity?: number } = {}): Promise<TypicalAccount> {
  const user = await signUpUser(services);
  const tag = user.userId;
  const addresses = [user.email, `a-${tag}@example.com`, `b-${tag}@example.com`, `c-${tag}@example.com`, `d-${tag}@example.com`];
  await verifiedEmail(services, user, addresses[1]!);
  await verifiedEmail(services, user, addresses[2]!);
  await addedEmail(services, user, addresses[3]!);
  const viaRoute = await api("POST /users/me/emails", { as: { sub: user.userId }, headers: { "Idempotency-Key": `add-${tag}` }, body: { email: addresses[4] } });
  if (viaRoute.statusCode !== 201) throw new Error(`add through the route: ${viaRoute.statusCode} ${JSON.stringify(viaRoute.body)}`);

  // created, 4 added, 2 verified: 7 so far; profile updates make up the rest (the deletion is one more).
  const target = (options.activity ?? 50) - (options.deleted === false ? 0 : 1);
  for (let i = 7; i < target; i++) {
    await updateProfile(services)({ userId: user.userId, patch: { firstName: `Name${"x".repeat(i % 2)}` }, correlationId: `update-${i}` });
  }

  // A restore link's two items, as the link-token store writes them (a pointer in the partition).
  const linkTokenKey = keys.linkToken(`digest-${tag}`);
  await services.db.send(new PutCommand({ TableName: services.config.tableName, Item: { ...linkTokenKey, userId: user.userId, purpose: "test" } }));
  await services.db.send(
    new PutCommand({
      TableName: services.config.tableName,
      Item: { ...keys.linkPointer(user.userId, "test"), userId: user.userId, digest: `digest-${tag}`, tokenPK: linkTokenKey.PK, tokenSK: linkTokenKey.SK },
    }),
  );
  if (options.deleted !== false) await deleteAccount(services)({ userId: user.userId, correlationId: "delete", actor: userActor(user.userId) });
  return { userId: user.userId, addresses, linkTokenKey };
}

async function queryCount(services: TestServices, input: { IndexName?: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }) {
  const { Items = [] } = await services.db.send(
    new QueryCommand({ TableName: services.config.tableName, ...input, ...(input.IndexName ? {} : { ConsistentRead: true }) }),
  );
  return Items;
}

/**
 * Everything of the account the table still holds, by every key shape the service writes for a
 * user: partition, claims, the address index, idempotency records, the user's rate windows, the
 * status index, the link token. Empty after a purge.
 */
export async function remainsOf(services: TestServices, account: TypicalAccount): Promise<Record<string, unknown[]>> {
  const remains: Record<string, unknown[]> = {
    partition: await queryCount(services, { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": keys.userPartition(account.userId) } }),
    idempotency: await queryCount(services, { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": keys.idempotencyPartition(account.userId) } }),
    rateWindows: await queryCount(services, { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": keys.rateLimitPartition("verify-user", account.userId) } }),
    statusIndex: (
      await Promise.all(
        (["deleted", "suspended"] as const).map((status) =>
          queryCount(services, { IndexName: GSI2, KeyConditionExpression: "GSI2PK = :pk", ExpressionAttributeValues: { ":pk": keys.statusIndexPartition(status) } }),
        ),
      )
    )
      .flat()
      .filter((item) => item.userId === account.userId),
    linkToken: await queryCount(services, { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": account.linkTokenKey.PK } }),
    claims: [],
    addressIndex: [],
  };
  for (const address of account.addresses) {
    remains.claims!.push(...(await queryCount(services, { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": keys.emailClaim(address).PK } })));
    remains.addressIndex!.push(
      ...(await queryCount(services, { IndexName: GSI1, KeyConditionExpression: "GSI1PK = :pk", ExpressionAttributeValues: { ":pk": keys.emailIndexPartition(address) } })),
    );
  }
  return remains;
}

export const NOTHING_LEFT = { partition: [], idempotency: [], rateWindows: [], statusIndex: [], linkToken: [], claims: [], addressIndex: [] };
