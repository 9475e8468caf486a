import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  GetGroupCommand,
  CreateUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Context } from "cognito-local/lib/services/context.js";
import type { UserPoolService } from "cognito-local/lib/services/userPoolService.js";
import { ADMIN_GROUP } from "../../src/domain/caller.js";

const POOL_NAME = "local-user-service";
const CLIENT_NAME = "local-user-service-web";

/** The pool as Terraform declares it: email is the sign-in name and is verified by a code. */
export const POOL_SETTINGS = {
  PoolName: POOL_NAME,
  UsernameAttributes: ["email" as const],
  AutoVerifiedAttributes: ["email" as const],
  UsernameConfiguration: { CaseSensitive: false },
  Schema: [
    {
      Name: "email",
      AttributeDataType: "String" as const,
      Required: true,
      Mutable: true,
      StringAttributeConstraints: { MinLength: "3", MaxLength: "254" },
    },
  ],
  // A new address replaces the old one only once its code is confirmed.
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email" as const] },
  Policies: {
    PasswordPolicy: {
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    },
  },
};

/**
 * The attributes a user's own access token may write, as Terraform's client. Cognito makes every
 * attribute the pool marks required writable by every client (it refuses a client without them:
 * "Invalid write attributes specified while creating a client"), so `email` stays; it can only
 * change after its code is confirmed, and the service puts the primary back when a user does
 * that (cognitoSelfService). Nothing else the service owns is writable: not `email_verified`
 * (no client may write it), not the names or the phone, which live in the profile.
 */
export const WRITE_ATTRIBUTES = ["email"];
export const READ_ATTRIBUTES = ["email", "email_verified"];

/** The public web client: no secret, password and refresh flows, 1 h access/id and 30 d refresh tokens. */
export const CLIENT_SETTINGS = {
  ClientName: CLIENT_NAME,
  GenerateSecret: false,
  ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const],
  AccessTokenValidity: 1,
  IdTokenValidity: 1,
  RefreshTokenValidity: 30,
  TokenValidityUnits: { AccessToken: "hours" as const, IdToken: "hours" as const, RefreshToken: "days" as const },
  PreventUserExistenceErrors: "ENABLED" as const,
  EnableTokenRevocation: true,
  WriteAttributes: WRITE_ATTRIBUTES,
  ReadAttributes: READ_ATTRIBUTES,
};

export interface LocalPool {
  userPoolId: string;
  clientId: string;
}

/** Finds the pool and client by name, creating what is missing (the data folder survives restarts). */
export async function ensurePool(client: CognitoIdentityProviderClient): Promise<LocalPool> {
  const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
  if (!userPoolId) {
    const created = await client.send(new CreateUserPoolCommand(POOL_SETTINGS));
    userPoolId = created.UserPool?.Id;
  }
  if (!userPoolId) throw new Error("cognito-local did not create the user pool");
  const clients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
  let clientId = clients.UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
  if (clientId) {
    // A data folder from before the client restricted its attributes keeps its client: bring the
    // attribute permissions up to Terraform's (cognito-local leaves fields it is not sent as they were).
    await client.send(
      new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId, WriteAttributes: WRITE_ATTRIBUTES, ReadAttributes: READ_ATTRIBUTES }),
    );
  } else {
    const created = await client.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ...CLIENT_SETTINGS }));
    clientId = created.UserPoolClient?.ClientId;
  }
  if (!clientId) throw new Error("cognito-local did not create the app client");
  const group = await client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: ADMIN_GROUP })).catch(() => undefined);
  if (!group?.Group) {
    await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: ADMIN_GROUP, Description: "Operators of the User Service" }));
  }
  return { userPoolId, clientId };
}

/**
 * A pool kept in the data folder from before it had them gets Terraform's settings that
 * CreateUserPool alone sets (cognito-local's UpdateUserPool does not take them): email changes
 * pending until verified, and `email` required.
 */
export async function keepPoolInStep(ctx: Context, pool: UserPoolService): Promise<void> {
  const schema = pool.options.SchemaAttributes ?? [];
  const emailRequired = schema.some((a) => a.Name === "email" && a.Required);
  const settings = pool.options.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  if (emailRequired && settings.includes("email")) return;
  await pool.updateOptions(ctx, {
    ...pool.options,
    SchemaAttributes: schema.map((a) => (a.Name === "email" ? { ...a, Required: true } : a)),
    UserAttributeUpdateSettings: POOL_SETTINGS.UserAttributeUpdateSettings,
  });
}
