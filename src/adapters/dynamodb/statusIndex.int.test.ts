import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { userActor } from "../../domain/activity.js";
import { ManualClock, signUpUser } from "../../../test/support/fixtures.js";
import { readItem } from "../../../test/support/outbox.js";
import { createTestServices, type TestServices } from "../../../test/support/testServices.js";
import { deleteAccount } from "../../usecases/deleteAccount.js";
import { getProfile } from "../../usecases/getProfile.js";
import { reactivateUser } from "../../usecases/reactivateUser.js";
import { suspendUser } from "../../usecases/suspendUser.js";
import { keys } from "./keys.js";
import { GSI2 } from "./tableDefinition.js";

const indexed = async (services: TestServices, status: "suspended" | "deleted") => {
  const { Items = [] } = await services.db.send(
    new QueryCommand({
      TableName: services.config.tableName,
      IndexName: GSI2,
      KeyConditionExpression: "GSI2PK = :pk",
      ExpressionAttributeValues: { ":pk": keys.statusIndexPartition(status) },
    }),
  );
  return Items;
};

describe("the sparse status index (GSI2)", () => {
  it("holds suspended profiles by updatedAt and deleted ones by purgeAt, active ones not at all", async () => {
    const services = await createTestServices({ clock: new ManualClock(new Date("2030-05-01T00:00:00.000Z")) });
    const { userId } = await signUpUser(services);
    const bystander = await signUpUser(services);
    expect(await indexed(services, "suspended")).toEqual([]);
    expect(await readItem(services, keys.profile(userId))).not.toHaveProperty("GSI2PK");

    const suspended = await suspendUser(services)({ userId, actorId: "an-admin", reason: "spam", correlationId: "c" });
    expect(await indexed(services, "suspended")).toEqual([
      { GSI2PK: "STATUS#suspended", GSI2SK: suspended.updatedAt, PK: `USER#${userId}`, SK: "PROFILE", userId, email: suspended.email, status: "suspended", updatedAt: suspended.updatedAt },
    ]);
    // The API never shows the index attributes.
    expect(await getProfile(services)(userId)).not.toHaveProperty("GSI2PK");

    await reactivateUser(services)({ userId, actorId: "an-admin", correlationId: "c" });
    expect(await indexed(services, "suspended")).toEqual([]);
    expect(await readItem(services, keys.profile(userId))).not.toHaveProperty("GSI2SK");

    const { purgeAt } = await deleteAccount(services)({ userId, correlationId: "c", actor: userActor(userId) });
    expect(await indexed(services, "deleted")).toEqual([expect.objectContaining({ userId, GSI2SK: purgeAt, purgeAt, status: "deleted" })]);
    expect((await indexed(services, "deleted")).map((item) => item.userId)).not.toContain(bystander.userId);
  });
});
