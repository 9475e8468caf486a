/**
 * The Cognito Identity Provider JSON protocol over fetch, the same calls the AWS SDK makes, so the
 * page behaves identically against cognito-local and against AWS. Unauthenticated calls need only
 * the app client id; GlobalSignOut is authorised by the access token itself.
 */

export class CognitoError extends Error {
  constructor(type, message, status) {
    super(message || type || `Cognito request failed (${status})`);
    this.name = "CognitoError";
    this.type = type;
    this.status = status;
  }
}

export function createCognito({ endpoint, clientId }) {
  async function call(action, body) {
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw new CognitoError("NetworkError", `Cannot reach Cognito at ${endpoint}`, 0);
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      // Errors carry `__type` ("...#InvalidPasswordException" in AWS) and `message` or `Message`.
      const type = String(data.__type ?? data.code ?? "").split("#").pop();
      throw new CognitoError(type, data.message ?? data.Message, response.status);
    }
    return data;
  }

  return {
    // The address travels only as the username: the pool takes `email` from it, and the app
    // client may not write `email` itself (Cognito refuses a sign-up that sends it).
    signUp: (email, password) => call("SignUp", { ClientId: clientId, Username: email, Password: password }),

    confirmSignUp: (email, code) =>
      call("ConfirmSignUp", { ClientId: clientId, Username: email, ConfirmationCode: code }),

    async signIn(email, password) {
      const result = await call("InitiateAuth", {
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      });
      if (!result.AuthenticationResult) {
        throw new CognitoError(result.ChallengeName, `Sign-in needs the ${result.ChallengeName} challenge, which this page does not support`, 200);
      }
      return result.AuthenticationResult;
    },

    async refresh(refreshToken) {
      const result = await call("InitiateAuth", {
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      return result.AuthenticationResult;
    },

    globalSignOut: (accessToken) => call("GlobalSignOut", { AccessToken: accessToken }),
  };
}
