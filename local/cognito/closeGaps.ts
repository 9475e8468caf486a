import type { PasswordPolicyType } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoError, InvalidParameterError, NotAuthorizedError } from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";
import type { Services as CognitoServices } from "cognito-local/lib/services/index.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { UserPoolService } from "cognito-local/lib/services/userPoolService.js";
import { passwordPolicyViolation } from "./passwordPolicy.js";

/** What a wrapped target receives: cognito-local passes the parsed JSON body through untyped. */
type Request = Record<string, unknown> & {
  ClientId?: string;
  UserPoolId?: string;
  Username?: string;
  AccessToken?: string;
  AuthFlow?: string;
  AuthParameters?: Record<string, string>;
  ChallengeResponses?: Record<string, string>;
};

/** The password a target would set, and where the pool is named: by client or by pool id. */
const NEW_PASSWORD: Record<string, (req: Request) => string | undefined> = {
  SignUp: (req) => req.Password as string | undefined,
  ConfirmForgotPassword: (req) => req.Password as string | undefined,
  AdminSetUserPassword: (req) => req.Password as string | undefined,
  AdminCreateUser: (req) => req.TemporaryPassword as string | undefined,
  ChangePassword: (req) => req.ProposedPassword as string | undefined,
  RespondToAuthChallenge: (req) => req.ChallengeResponses?.NEW_PASSWORD,
};

const INCORRECT = "Incorrect username or password.";

/** Claims of a token cognito-local issued; cognito-local itself verifies them where it uses them. */
function claimsOf(token: string | undefined): { client_id?: string; sub?: string; username?: string } {
  const payload = token?.split(".")[1];
  if (!payload) throw new NotAuthorizedError("Invalid Access Token");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { client_id?: string; sub?: string };
}

/**
 * cognito-local's router with the gaps users hit closed, so the local pool behaves like Cognito:
 * the password policy, disabled users, Cognito's sign-in errors and global sign-out.
 */
export function closeGaps(router: Router, services: CognitoServices): Router {
  const poolOf = async (ctx: Context, req: Request): Promise<UserPoolService> => {
    if (req.UserPoolId) return services.cognito.getUserPool(ctx, req.UserPoolId);
    const clientId = req.ClientId ?? claimsOf(req.AccessToken).client_id;
    if (!clientId) throw new InvalidParameterError("Missing ClientId");
    return services.cognito.getUserPoolForClientId(ctx, clientId);
  };

  const enforcePolicy = async (ctx: Context, target: string, req: Request) => {
    const password = NEW_PASSWORD[target]?.(req);
    if (password === undefined) return;
    const pool = await poolOf(ctx, req);
    const policy: PasswordPolicyType = pool.options.Policies?.PasswordPolicy ?? {};
    const violation = passwordPolicyViolation(password, policy);
    if (violation) throw new CognitoError("InvalidPasswordException", violation);
  };

  const signOutEverywhere = async (ctx: Context, req: Request, username: string | undefined) => {
    const pool = await poolOf(ctx, req);
    const user = username ? await pool.getUserByUsername(ctx, username) : null;
    if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
    await pool.saveUser(ctx, { ...user, RefreshTokens: [] });
    return {};
  };

  const initiateAuth = (original: Route): Route => async (ctx, req: Request) => {
    const pool = await poolOf(ctx, req);
    const client = await services.cognito.getAppClient(ctx, req.ClientId ?? "");
    const flow = req.AuthFlow === "REFRESH_TOKEN" ? "REFRESH_TOKEN_AUTH" : req.AuthFlow;
    if (client && !client.ExplicitAuthFlows?.includes(`ALLOW_${flow}`)) {
      throw new InvalidParameterError(`${req.AuthFlow} flow not enabled for this client`);
    }
    const params = req.AuthParameters ?? {};
    const user =
      flow === "USER_PASSWORD_AUTH"
        ? await pool.getUserByUsername(ctx, params.USERNAME ?? "")
        : await pool.getUserByRefreshToken(ctx, params.REFRESH_TOKEN ?? "");
    if (user && user.Enabled === false) throw new NotAuthorizedError("User is disabled.");
    if (flow === "USER_PASSWORD_AUTH" && (!user || user.Password !== params.PASSWORD)) {
      throw new NotAuthorizedError(INCORRECT);
    }
    if (flow === "REFRESH_TOKEN_AUTH" && !user) throw new NotAuthorizedError("Invalid Refresh Token");
    return original(ctx, req);
  };

  return (target) => {
    if (target === "AdminUserGlobalSignOut") return (ctx, req: Request) => signOutEverywhere(ctx, req, req.Username);
    if (target === "GlobalSignOut") {
      return (ctx, req: Request) => signOutEverywhere(ctx, req, claimsOf(req.AccessToken).sub);
    }
    const original = router(target);
    if (target === "InitiateAuth") return initiateAuth(original);
    return async (ctx, req: Request) => {
      await enforcePolicy(ctx, target, req);
      return original(ctx, req);
    };
  };
}
