import type { PasswordPolicyType } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoError, InvalidParameterError, NotAuthorizedError } from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";
import type { Services as CognitoServices } from "cognito-local/lib/services/index.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { UserPoolService } from "cognito-local/lib/services/userPoolService.js";
import type { BusEntry } from "../events/eventBus.js";
import { cloudTrailEntry } from "./cloudTrail.js";
import { passwordPolicyViolation } from "./passwordPolicy.js";

export interface CloseGapsOptions {
  /** Receives the CloudTrail record of each user-pool call the service acts on (DeleteUser, VerifyUserAttribute). */
  cloudTrail?: (entry: BusEntry) => void;
  region?: string;
}

/** What a wrapped target receives: cognito-local passes the parsed JSON body through untyped. */
type Request = Record<string, unknown> & {
  ClientId?: string;
  UserPoolId?: string;
  Username?: string;
  AccessToken?: string;
  AuthFlow?: string;
  AuthParameters?: Record<string, string>;
  ChallengeResponses?: Record<string, string>;
  UserAttributes?: { Name?: string; Value?: string }[];
  AttributeName?: string;
  WriteAttributes?: string[];
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

/** Cognito's answer when a request carries an attribute outside the app client's WriteAttributes. */
const UNAUTHORIZED_ATTRIBUTE = "A client attempted to write unauthorized attribute";

/**
 * The attributes a target would write for the caller, checked against the app client. Verifying
 * an attribute (or asking for the code to) writes its `*_verified` twin and, with a pending
 * change, the attribute itself: a client that may not write `email` may not verify it either.
 */
const WRITTEN_ATTRIBUTES: Record<string, (req: Request) => string[]> = {
  SignUp: (req) => (req.UserAttributes ?? []).map((a) => a.Name ?? ""),
  UpdateUserAttributes: (req) => (req.UserAttributes ?? []).map((a) => a.Name ?? ""),
  GetUserAttributeVerificationCode: (req) => [req.AttributeName ?? ""],
  VerifyUserAttribute: (req) => [req.AttributeName ?? ""],
};

/** Calls made with a user's access token whose CloudTrail record the service acts on. */
const REPORTED = ["DeleteUser", "VerifyUserAttribute"];

/** Attributes Cognito lets no app client write; a client listing one is refused. */
const NEVER_WRITABLE = ["sub", "email_verified", "phone_number_verified"];

/**
 * Whether a client may write `name`. A client with no WriteAttributes may write the standard
 * attributes, never the `*_verified` flags (Cognito refuses those at sign-up whatever the client).
 */
function writable(writeAttributes: string[] | undefined, name: string): boolean {
  if (writeAttributes === undefined) return !name.endsWith("_verified");
  return writeAttributes.includes(name);
}

/** Claims of a token cognito-local issued; cognito-local itself verifies them where it uses them. */
function claimsOf(token: string | undefined): { client_id?: string; sub?: string; username?: string } {
  const payload = token?.split(".")[1];
  if (!payload) throw new NotAuthorizedError("Invalid Access Token");
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { client_id?: string; sub?: string };
  } catch {
    throw new NotAuthorizedError("Invalid Access Token");
  }
}

/**
 * cognito-local's router with the gaps users hit closed, so the local pool behaves like Cognito:
 * the password policy, disabled users, Cognito's sign-in errors, global sign-out, the admin password
 * reset, the app client's
 * write attributes (and which lists Cognito accepts), and the CloudTrail records of DeleteUser and
 * VerifyUserAttribute (the service answers those calls from them).
 */
export function closeGaps(router: Router, services: CognitoServices, options: CloseGapsOptions = {}): Router {
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

  const enforceWriteAttributes = async (ctx: Context, target: string, req: Request) => {
    const names = WRITTEN_ATTRIBUTES[target]?.(req);
    if (!names?.length) return;
    const clientId = req.ClientId ?? claimsOf(req.AccessToken).client_id ?? "";
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) return; // the target itself answers for an unknown client
    if (names.some((name) => !writable(client.WriteAttributes, name))) {
      throw new NotAuthorizedError(UNAUTHORIZED_ATTRIBUTE);
    }
  };

  /**
   * Cognito refuses a client whose WriteAttributes leave out an attribute the pool marks
   * required (every client may write those) or name one no client may write, with
   * InvalidParameterException "Invalid write attributes specified while creating a client".
   */
  const checkClientWriteAttributes = async (ctx: Context, target: string, req: Request) => {
    if (req.WriteAttributes === undefined) return;
    const pool = await services.cognito.getUserPool(ctx, req.UserPoolId ?? "");
    // `sub` is required too, but immutable: nobody writes it.
    const required = (pool.options.SchemaAttributes ?? []).filter((a) => a.Required && a.Mutable !== false).map((a) => a.Name ?? "");
    const invalid =
      req.WriteAttributes.some((name) => NEVER_WRITABLE.includes(name)) || required.some((name) => !req.WriteAttributes?.includes(name));
    if (invalid) {
      const verb = target === "CreateUserPoolClient" ? "creating" : "updating";
      throw new InvalidParameterError(`Invalid write attributes specified while ${verb} a client`);
    }
  };

  /** With email as the username attribute, an `email` attribute must be the username itself. */
  const checkSignUpEmail = async (ctx: Context, req: Request) => {
    const email = req.UserAttributes?.find((a) => a.Name === "email")?.Value;
    if (email === undefined) return;
    const pool = await poolOf(ctx, req);
    if (!pool.options.UsernameAttributes?.includes("email")) return;
    if (email.toLowerCase() !== (req.Username ?? "").toLowerCase()) {
      throw new InvalidParameterError("User email should be empty or same as username, since username attribute is email");
    }
  };

  /**
   * A call made with a user's access token that the service must answer, passed through and then
   * reported as its CloudTrail record (the default bus's rule runs cognitoSelfService on it). Only
   * a call that succeeded, naming the user by the token's `sub` as Cognito's record does.
   */
  const reported = (target: string, original: Route): Route => async (ctx, req: Request) => {
    const { sub } = claimsOf(req.AccessToken);
    const result = await original(ctx, req);
    if (sub) options.cloudTrail?.(cloudTrailEntry({ eventName: target, sub, region: options.region }));
    return result;
  };

  const signOutEverywhere = async (ctx: Context, req: Request, username: string | undefined) => {
    const pool = await poolOf(ctx, req);
    const user = username ? await pool.getUserByUsername(ctx, username) : null;
    if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
    await pool.saveUser(ctx, { ...user, RefreshTokens: [] });
    return {};
  };

  /**
   * AdminResetUserPassword, which cognito-local lacks, as Cognito does it: the password stops
   * working (status RESET_REQUIRED: sign-in answers PasswordResetRequiredException), and a reset
   * code goes to the verified email as ForgotPassword's does, for ConfirmForgotPassword to use.
   */
  const resetUserPassword = async (ctx: Context, req: Request) => {
    const pool = await poolOf(ctx, req);
    const user = req.Username ? await pool.getUserByUsername(ctx, req.Username) : null;
    if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
    const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
    const email = attribute("email");
    const code = services.otp();
    if (email && attribute("email_verified") === "true") {
      await services.messages.deliver(ctx, "ForgotPassword", null, pool.options.Id, user, code, undefined, {
        AttributeName: "email",
        DeliveryMedium: "EMAIL",
        Destination: email,
      });
    }
    await pool.saveUser(ctx, { ...user, UserStatus: "RESET_REQUIRED", ConfirmationCode: code, UserLastModifiedDate: services.clock.get() });
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
    if (target === "AdminResetUserPassword") return (ctx, req: Request) => resetUserPassword(ctx, req);
    if (target === "GlobalSignOut") {
      return (ctx, req: Request) => signOutEverywhere(ctx, req, claimsOf(req.AccessToken).sub);
    }
    const original = router(target);
    if (target === "InitiateAuth") return initiateAuth(original);
    // DeleteUser is accepted as in Cognito, where nothing can refuse it (every token of the SDK
    // flows carries aws.cognito.signin.user.admin); the service hears of it, and of a user's own
    // verified address change, through the CloudTrail record.
    const run = REPORTED.includes(target) ? reported(target, original) : original;
    return async (ctx, req: Request) => {
      if (target === "CreateUserPoolClient" || target === "UpdateUserPoolClient") await checkClientWriteAttributes(ctx, target, req);
      await enforceWriteAttributes(ctx, target, req);
      if (target === "SignUp") await checkSignUpEmail(ctx, req);
      await enforcePolicy(ctx, target, req);
      return run(ctx, req);
    };
  };
}
