/**
 * The User Service API as a client sees it: the Cognito ACCESS token in `Authorization` (ID tokens
 * are refused by the authorizer), JSON bodies, and the error body
 * `{statusCode, error, message, details?, requestId}` surfaced unchanged as an ApiError.
 */

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `Request failed (${status})`);
    this.name = "ApiError";
    this.status = status;
    this.details = Array.isArray(body?.details) ? body.details : [];
    this.requestId = body?.requestId;
    this.retryAfter = body?.retryAfter;
  }
}

function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * `session.accessToken()` gives the current token; `session.refresh()` trades the refresh token for
 * a new one (or throws). A 401 is retried once after a refresh, since access tokens live an hour.
 */
export function createApi({ apiUrl, session }) {
  async function send(method, path, { body, headers = {} } = {}) {
    const attempt = (token) =>
      fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(token ? { Authorization: token } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    let response = await attempt(session.accessToken());
    if (response.status === 401 && (await session.refresh())) {
      response = await attempt(session.accessToken());
    }
    const text = await response.text();
    let data;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return { data, headers: response.headers };
  }

  const post = (path, body) => send("POST", path, { body, headers: { "Idempotency-Key": newIdempotencyKey() } });
  const emailPath = (emailId) => `/users/me/emails/${encodeURIComponent(emailId)}`;

  return {
    /** Any route, for views with calls of their own (the admin console): `{data, headers}`. */
    request: send,
    /** A POST with a fresh Idempotency-Key. */
    postJson: post,
    async getProfile() {
      const { data, headers } = await send("GET", "/users/me");
      return { profile: data, etag: headers.get("ETag") };
    },
    async updateProfile(patch, etag) {
      const { data, headers } = await send("PUT", "/users/me", { body: patch, headers: etag ? { "If-Match": etag } : {} });
      return { profile: data, etag: headers.get("ETag") };
    },
    deleteAccount: async () => (await send("DELETE", "/users/me")).data,
    listEmails: async () => (await send("GET", "/users/me/emails")).data.emails,
    async addEmail(email) {
      const { data, headers } = await post("/users/me/emails", { email });
      return { email: data, remaining: headers.get("X-RateLimit-Remaining") };
    },
    async sendCode(emailId) {
      const { data, headers } = await post(`${emailPath(emailId)}/verify`, undefined);
      return { ...data, remaining: headers.get("X-RateLimit-Remaining") };
    },
    confirmCode: async (emailId, code) => (await post(`${emailPath(emailId)}/verify/confirm`, { code })).data,
    makePrimary: async (emailId) => (await send("PUT", `${emailPath(emailId)}/primary`)).data,
    removeEmail: async (emailId) => {
      await send("DELETE", emailPath(emailId));
    },
    async listActivity(cursor) {
      const query = new URLSearchParams({ limit: "10", ...(cursor ? { cursor } : {}) });
      return (await send("GET", `/users/me/activity?${query}`)).data;
    },
    /**
     * POST /account/restore or /account/revert with a mailed link's token: public routes, so no
     * token, no refresh and no Idempotency-Key (the link is single use).
     */
    async redeemLink(purpose, token) {
      const response = await fetch(`${apiUrl}/account/${purpose}`, {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({ token }),
      });
      const data = await response.json().catch(() => undefined);
      if (!response.ok) throw new ApiError(response.status, data);
      return data;
    },
    /** The export and the file name the API gives it (Content-Disposition, when the browser may read it). */
    async exportData() {
      const { data, headers } = await send("GET", "/users/me/export");
      const match = /filename="([^"]+)"/.exec(headers.get("Content-Disposition") ?? "");
      return { data, fileName: match?.[1] ?? (data?.profile?.userId ? `user-export-${data.profile.userId}.json` : undefined) };
    },
  };
}
