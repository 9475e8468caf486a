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
import { ADMIN_GROUP } from "../../src/domain/caller.js";

const POOL_NAME = "local-user-service";
const CLIENT_NAME = "local-user-service-web";

/** The pool as Terraform declares it: email is the sign-in name and is verified by a code. */
export const POOL_SETTINGS = {
  PoolName: POOL_NAME,
  UsernameAttributes: ["email" as const],
  AutoVerifiedAttributes: ["email" as const],
  UsernameConfiguration: { CaseSensitive: false },
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
 * The attributes a user's own access token may write, as Terraform's client: none the service
 * owns. The address (`email`, `email_verified`) is the sign-in name and only ever follows a
 * verified primary change; names and phone live in the profile. Cognito reads an empty list as
 * "every standard attribute", so one harmless attribute stands in for "nothing".
 */
export const WRITE_ATTRIBUTES = ["locale"];
export const READ_ATTRIBUTES = ["email", "email_verified", "locale"];

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
