import { showError, showMessage } from "./dom.js";

const LINK = /^#(restore|revert)=([A-Za-z0-9_-]+)$/;

/**
 * Restore and revert links from the security notices (`{WEB_URL}/#restore={token}`, `#revert=`):
 * the page calls the public route once with the token and shows the API's message. The fragment
 * never reaches a server log, and it is cleared from the address bar before the call, so a reload
 * or a shared screen does not replay or show it. Returns the purpose acted on, or undefined.
 */
export async function redeemLinkInAddress({ api, notice, onRedeemed }) {
  const match = LINK.exec(window.location.hash);
  if (!match) return undefined;
  const [, purpose, token] = match;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  showMessage(notice, "info", purpose === "restore" ? "Restoring your account…" : "Restoring your previous email address…");
  try {
    const result = await api.redeemLink(purpose, token);
    await onRedeemed?.(purpose);
    showMessage(notice, "success", result?.message ?? "Done.");
  } catch (error) {
    showError(notice, error);
  }
  return purpose;
}
