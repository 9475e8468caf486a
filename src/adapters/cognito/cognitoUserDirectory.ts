// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as cognito from "@aws-sdk/client-cognito-identity-provider";
import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import { logger, traced } from "../../observability.js";
import type { DirectoryUser, UserDirectory } from "../../ports/userDirectory.js";
import { lazy } from "../lazy.js";
import { localEndpoint } from "../localEndpoint.js";
import { callPacer } from "./callPacer.js";
import { DEFAULT_THROTTLE_BUDGET_MS, retryThrottled } from "./throttlingBackoff.js";

/** The client's send, typed per command as the SDK types it. */
type Send = cognito.CognitoIdentityProviderClient["send"];

export interface CognitoDirectoryConfig {
  region: string;
  userPoolId: string;
  /** cognito-local's URL; unset in AWS. */
  cognitoEndpoint?: string;  /**
   * Calls per second this container makes at most (COGNITO_CALLS_PER_SECOND): with the function's
   * reserved concurrency, what keeps it under Cognito's category quota. Unset: unpaced.
   */
  cognitoCallsPerSecond?: number | undefined;
  /** How long one call may wait out TooManyRequestsException before failing (ms). */
  throttleBudgetMs?: number;
}

/**
 * Cognito user pool behind the UserDirectory port.
 *
 * Usernames: the pool uses email as its username attribute, so Cognito generates each user's
 * Username and accepts the `sub` wherever an Admin* call takes a Username (AWS: "if username isn't
 * an alias attribute, this value must be the sub of a local user"; cognito-local looks users up by
 * Username, then by `sub`). We therefore pass our userId straight through, never the email, which
 * changes.
 */
export function createCognitoUserDirectory(config: CognitoDirectoryConfig): UserDirectory {
  const local = Boolean(config.cognitoEndpoint);
  // Created on first use: only the Cognito sync consumer and the reconciler talk to the pool.
  const sdk = lazy(async () => {
    // One try per send: retryThrottled is the retry policy (its comment says why).
    const raw = traced(new cognito.CognitoIdentityProviderClient({ region: config.region, maxAttempts: 1, ...localEndpoint(config.cognitoEndpoint) }));
    const pace = callPacer(config.cognitoCallsPerSecond);
    const budgetMs = config.throttleBudgetMs ?? DEFAULT_THROTTLE_BUDGET_MS;
    // Every call waits for its slot, and waits out Cognito's throttling (docs/capacity.md).
    const send: Send = (command) =>
      retryThrottled(async () => {
        await pace();
        return raw.send(command);
      }, { budgetMs });
    return { client: { send } };
  });
  const UserPoolId = config.userPoolId;

  return {
    async getUser(userId) {
      const { client } = await sdk();
      try {
        const user = await client.send(new cognito.AdminGetUserCommand({ UserPoolId, Username: userId }));
        return toDirectoryUser({ ...user, Attributes: user.UserAttributes });
      } catch (error) {
        if (error instanceof cognito.UserNotFoundException) return undefined;
        throw error;
      }
    },

    async setEmail(userId, email) {
      // email_verified=true in the same call applies the change at once, even in a pool that keeps
      // email changes pending until verified: we verified the address before it became primary.
      const { client } = await sdk();
      await client.send(
        new cognito.AdminUpdateUserAttributesCommand({
          UserPoolId,
          Username: userId,
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
    },

    async disableAndSignOut(userId) {
      const { client } = await sdk();
      try {
        // Disable first: it blocks new sign-ins and revokes access tokens; the global sign-out
        // then revokes refresh tokens, so no session outlives the account.
        await client.send(new cognito.AdminDisableUserCommand({ UserPoolId, Username: userId }));
        await globalSignOut(userId);
      } catch (error) {
        if (error instanceof cognito.UserNotFoundException) {
          logger.warn("User not in the pool; nothing to disable", { userId });
          return;
        }
        throw error;
      }
    },

    async deleteUser(userId) {
      const { client } = await sdk();
      try {
        await client.send(new cognito.AdminDeleteUserCommand({ UserPoolId, Username: userId }));
      } catch (error) {
        if (error instanceof cognito.UserNotFoundException) {
          logger.info("User not in the pool; nothing to delete", { userId });
          return;
        }
        throw error;
      }
    },

    async enable(userId) {
      const { client } = await sdk();
      await client.send(new cognito.AdminEnableUserCommand({ UserPoolId, Username: userId }));
    },

    async signOutEverywhere(userId) {
      await globalSignOut(userId);
    },

    async requirePasswordReset(userId) {
      const { client } = await sdk();
      await client.send(new cognito.AdminResetUserPasswordCommand({ UserPoolId, Username: userId }));
    },
  };

  async function globalSignOut(userId: string): Promise<void> {
    const { client } = await sdk();
    try {
      await client.send(new cognito.AdminUserGlobalSignOutCommand({ UserPoolId, Username: userId }));
    } catch (error) {
      // Upstream cognito-local does not implement the call (the local stack adds it, see
      // local/cognito/closeGaps.ts). Only against a local endpoint do we carry on: the user is
      // already disabled, so no new sign-in succeeds; tokens already issued live until expiry.
      if (local && isLocalUnsupported(error)) {
        logger.warn("Local Cognito has no AdminUserGlobalSignOut; user disabled, tokens not revoked", { userId });
        return;
      }
      throw error;
    }
  }
}

/** cognito-local answers an unimplemented target with HTTP 500 and `__type: "CognitoLocal#Unsupported"`. */
function isLocalUnsupported(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name.includes("Unsupported") || error.message.includes("Cognito Local unsupported feature");
}

/** ListUsers' UserType and AdminGetUser's answer, which names the attributes UserAttributes. */
interface PoolUser {
  Attributes?: AttributeType[] | undefined;
  UserStatus?: string | undefined;
  Enabled?: boolean | undefined;
  UserCreateDate?: Date | undefined;
}

function toDirectoryUser(user: PoolUser): DirectoryUser | undefined {
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  const sub = attribute("sub");
  if (!sub || !user.UserCreateDate) return undefined;
  return {
    userId: sub,
    email: attribute("email"),
    status: user.UserStatus ?? "UNKNOWN",
    enabled: user.Enabled ?? true,
    createdAt: user.UserCreateDate,
  };
}
