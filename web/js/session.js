/**
 * The signed-in user's tokens. Kept in sessionStorage so a reload keeps the session but closing the
 * tab ends it; every value the page renders goes through textContent, never innerHTML, so stored
 * tokens are not exposed to injected markup.
 */

const KEY = "user-service.tokens";

export function loadTokens() {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

export function saveTokens(result, previous) {
  const tokens = {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    // A refresh returns no new refresh token: keep the one from sign-in.
    refreshToken: result.RefreshToken ?? previous?.refreshToken,
  };
  sessionStorage.setItem(KEY, JSON.stringify(tokens));
  return tokens;
}

export function clearTokens() {
  sessionStorage.removeItem(KEY);
}
