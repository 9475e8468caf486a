import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import type { PendingSignUp, SignUpMarkers } from "../../ports/signUpMarkers.js";
import { keys } from "./keys.js";
import { queryAll } from "./queryAll.js";
import { GSI2, TTL_ATTRIBUTE } from "./tableDefinition.js";
import type { NamedItem } from "./transact.js";

/** The marker's removal inside the sign-up transaction: unconditional, so a missing marker is fine. */
export function deleteSignUpMarker(tableName: string, username: string): NamedItem {
  return { name: "deleteSignUpMarker", item: { Delete: { TableName: tableName, Key: keys.signUpMarker(username) } } };
}

function toPendingSignUp(item: Record<string, unknown>): PendingSignUp {
  const username = String(item.PK).slice(keys.signUpMarkerPartitionPrefix.length);
  // The index sort key is "<dueAt>#<username>"; the index projects the table's keys, so no read of the item.
  const dueAt = String(item.GSI2SK).slice(0, -(username.length + 1));
  return { username, dueAt };
}

/** The markers in the table: their own items, found through the sparse index GSI2. */
export function createSignUpMarkerStore(db: DynamoDBDocumentClient, tableName: string): SignUpMarkers {
  return {
    async markSignUpPending({ username, dueAt, expiresAt }) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.signUpMarker(username), ...keys.signUpMarkerIndex(dueAt, username), [TTL_ATTRIBUTE]: expiresAt },
        }),
      );
    },

    async dueSignUpMarkers(dueBy, limit) {
      const items = await queryAll(
        db,
        {
          TableName: tableName,
          IndexName: GSI2,
          KeyConditionExpression: "GSI2PK = :pk AND GSI2SK <= :due",
          // "~" sorts after every character of an ISO date and of a username's "#" separator.
          ExpressionAttributeValues: { ":pk": keys.signUpMarkerIndexPartition, ":due": `${dueBy}#~` },
        },
        limit,
      );
      return items.map(toPendingSignUp);
    },

    async deferSignUpMarker(username, dueAt) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.signUpMarker(username),
            // Only a marker still there: the profile's transaction may have removed it meanwhile.
            ConditionExpression: "attribute_exists(PK)",
            UpdateExpression: "SET GSI2SK = :sk",
            ExpressionAttributeValues: { ":sk": keys.signUpMarkerIndex(dueAt, username).GSI2SK },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async dropSignUpMarker(username) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: keys.signUpMarker(username) }));
    },
  };
}
