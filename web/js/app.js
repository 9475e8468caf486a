import { setupDeleteAccount } from "./account.js";
import { createActivityView } from "./activity.js";
import { createAdminConsole, isAdminToken } from "./admin.js";
import { createApi } from "./api.js";
import { setupAuth } from "./auth.js";
import { createCognito } from "./cognito.js";
import { loadConfig } from "./config.js";
import { $, busy, formatTime, showError, showMessage } from "./dom.js";
import { createEmailsView } from "./emails.js";
import { redeemLinkInAddress } from "./links.js";
import { startPanels } from "./panels.js";
import { createProfileView } from "./profile.js";
import { clearTokens, loadTokens, saveTokens } from "./session.js";

const notice = $("#notice");
const status = $('[data-testid="session-status"]');
const signOutButton = $("#sign-out");

async function main() {
  const config = await loadConfig();
  const cognito = createCognito({ endpoint: config.cognitoEndpoint, clientId: config.clientId });
  let tokens = loadTokens();

  const session = {
    accessToken: () => tokens?.accessToken,
    async refresh() {
      if (!tokens?.refreshToken) return false;
      try {
        tokens = saveTokens(await cognito.refresh(tokens.refreshToken), tokens);
        return true;
      } catch {
        return false;
      }
    },
  };
  const api = createApi({ apiUrl: config.apiUrl, session });

  // Addresses whose mail the mailbox panel shows: the one being signed up, then the account's.
  let pendingAddress;
  let accountAddresses = [];
  let panels;
  let userId;

  const activity = createActivityView({ api, userId: () => userId });
  const adminConsole = createAdminConsole({ api });
  // Every change shows up in the activity: re-read it after the views re-read theirs.
  const refreshActivity = () => activity.load().catch(() => undefined);
  const profile = createProfileView({
    api,
    onProfile: (p) => {
      status.textContent = `Signed in as ${p.email}`;
      userId = p.userId;
      refreshActivity();
    },
  });
  const emails = createEmailsView({
    api,
    onEmails: (list) => {
      accountAddresses = list.map((e) => e.email);
      panels?.refresh();
      refreshActivity();
    },
    onPrimaryChanged: () => profile.load(),
  });
  const account = setupDeleteAccount({
    api,
    onDeleted: async (result) => {
      // The mailbox panel keeps showing the account's addresses: the deletion notice (and its
      // restore link) arrives there after the session has ended.
      const addresses = accountAddresses;
      endSession();
      accountAddresses = addresses;
      panels?.refresh();
      const purge = result?.purgeAt ? ` It will be erased for good on ${formatTime(result.purgeAt)}.` : "";
      showMessage(notice, "success", `Your account was deleted (${formatTime(result?.deletedAt)}).${purge}`);
    },
  });

  function show(signedIn) {
    $("#signed-in").hidden = !signedIn;
    $("#signed-out").hidden = signedIn;
    signOutButton.hidden = !signedIn;
    if (!signedIn) status.textContent = "Signed out";
  }

  function endSession() {
    tokens = undefined;
    clearTokens();
    accountAddresses = [];
    userId = undefined;
    profile.clear();
    emails.clear();
    activity.clear();
    adminConsole.show(false);
    account.reset();
    show(false);
  }

  async function enter() {
    show(true);
    status.textContent = "Signed in";
    // The console for members of admins (the token's cognito:groups); the API checks it again.
    adminConsole.show(isAdminToken(tokens?.accessToken ?? ""));
    try {
      await Promise.all([profile.load(), emails.load()]);
    } catch (error) {
      showError(notice, error);
    }
  }

  const auth = setupAuth({
    cognito,
    onPendingAddress: (address) => {
      pendingAddress = address;
      panels?.refresh();
    },
    onSignedIn: async (result) => {
      tokens = saveTokens(result);
      pendingAddress = undefined;
      auth.clearMessages();
      showMessage(notice, "info", "");
      await enter();
    },
  });

  signOutButton.addEventListener("click", () =>
    busy(signOutButton, notice, async () => {
      let message;
      try {
        await cognito.globalSignOut(tokens.accessToken);
        message = "You are signed out on every device.";
      } catch (error) {
        // An expired token or a Cognito without GlobalSignOut must not keep the user signed in here.
        message = `You are signed out on this device (${error.message}).`;
      }
      endSession();
      showMessage(notice, "success", message);
    }),
  );

  if (config.local) {
    panels = startPanels({
      addresses: () => [...new Set([pendingAddress, ...accountAddresses].filter(Boolean))],
      userId: () => userId,
    });
  }

  // A mailed restore or revert link opened this page (or was opened while it was open).
  const redeemLink = () =>
    redeemLinkInAddress({
      api,
      notice,
      // A revert signs the user out everywhere: this page's session ends with the others.
      onRedeemed: (purpose) => {
        if (purpose === "revert" && tokens) endSession();
      },
    });
  window.addEventListener("hashchange", () => {
    redeemLink().catch((error) => showError(notice, error));
  });

  if (tokens) await enter();
  else show(false);
  await redeemLink();
}

main().catch((error) => {
  status.textContent = "Unavailable";
  showError(notice, error);
});
