import { $, busy, el, formatTime, onSubmit, showMessage } from "./dom.js";

/** The Cognito group whose members the /admin routes serve (SPEC section 3). */
export const ADMIN_GROUP = "admins";

/**
 * Whether an access token's `cognito:groups` holds the admins group. Only decides what the page
 * shows: the API checks the signed token itself (and that the admin's own account is active).
 */
export function isAdminToken(accessToken) {
  try {
    const payload = accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const groups = JSON.parse(atob(payload))["cognito:groups"];
    return Array.isArray(groups) && groups.includes(ADMIN_GROUP);
  } catch {
    return false;
  }
}

const STATUS_LABELS = { suspended: "Suspended accounts", deleted: "Deleted accounts" };

/**
 * The admin console (SPEC 12.9): look a user up by address or id, see the profile, addresses and
 * activity, suspend with a reason, reactivate, purge at once (after a confirmation naming the
 * address), and page through the suspended and deleted accounts. Every failure shows the API's
 * own message.
 */
export function createAdminConsole({ api }) {
  const section = $('[data-testid="admin-console"]');
  const region = $('[data-testid="admin-message"]');
  const lookupForm = $("#admin-lookup-form");
  const userView = $('[data-testid="admin-user"]');
  const facts = $('[data-testid="admin-user-facts"]');
  const emailList = $('[data-testid="admin-user-emails"]');
  const activityList = $('[data-testid="admin-user-activity"]');
  const activityMore = $("#admin-activity-more");
  const suspendForm = $("#admin-suspend-form");
  const reactivate = $("#admin-reactivate");
  const purgeStart = $("#admin-purge");
  const purgeBox = $("#admin-purge-box");
  const purgeText = $('[data-testid="admin-purge-text"]');
  const purgeYes = $("#admin-purge-confirm");
  const purgeNo = $("#admin-purge-cancel");
  const listTitle = $('[data-testid="admin-list-title"]');
  const list = $('[data-testid="admin-list"]');
  const listMore = $("#admin-list-more");
  const listRegion = $('[data-testid="admin-list-message"]');

  let current; // {profile, emails} of the user on show
  let activityCursor;
  let listing; // {status, cursor}

  const fact = (label, value, testId) => [el("dt", { text: label }), el("dd", { text: value ?? "", "data-testid": testId })];

  function renderUser(user) {
    current = user;
    const p = user.profile;
    const name = [p.firstName, p.lastName].filter(Boolean).join(" ");
    facts.replaceChildren(
      ...fact("Email", p.email, "admin-user-email"),
      ...fact("Status", p.status, "admin-user-status"),
      ...fact("Name", name || "—"),
      ...fact("Phone", p.phone ?? "—"),
      ...fact("Created", formatTime(p.createdAt)),
      ...fact("Updated", formatTime(p.updatedAt)),
      ...(p.purgeAt ? fact("Purge at", formatTime(p.purgeAt), "admin-user-purge-at") : []),
      ...fact("User id", p.userId, "admin-user-id"),
    );
    emailList.replaceChildren(
      ...user.emails.map((e) =>
        el(
          "li",
          { "data-testid": "admin-user-email-row", "data-email": e.email },
          el("span", { class: "address", text: e.email }),
          " ",
          e.isPrimary ? el("span", { class: "badge primary", text: "primary" }) : undefined,
          " ",
          el("span", { class: `badge ${e.isVerified ? "verified" : "unverified"}`, text: e.isVerified ? "verified" : "unverified" }),
        ),
      ),
    );
    suspendForm.hidden = p.status !== "active";
    reactivate.hidden = p.status !== "suspended";
    purgeStart.hidden = false;
    purgeBox.hidden = true;
    userView.hidden = false;
  }

  function activityRow(item) {
    const actor = item.actor?.type === "admin" ? `admin ${item.actor.userId}` : item.actor?.type === "user" ? "the user" : "the service";
    const reason = item.details?.reason ? ` · ${item.details.reason}` : "";
    return el(
      "li",
      { class: "feed-item", "data-testid": "admin-activity-item", "data-type": item.type },
      el("div", { class: "feed-title", text: item.type }),
      el("div", { class: "feed-meta", text: `${formatTime(item.occurredAt)} · by ${actor}${reason}` }),
    );
  }

  async function activityPage(after) {
    const query = new URLSearchParams({ limit: "10", ...(after ? { cursor: after } : {}) });
    const { data } = await api.request("GET", `/admin/users/${encodeURIComponent(current.profile.userId)}/activity?${query}`);
    activityCursor = data.nextCursor;
    activityMore.hidden = !activityCursor;
    return data.items.map(activityRow);
  }

  /** Shows one user: by address (GET /admin/users?email=) or by id (GET /admin/users/{id}). */
  async function open(addressOrId) {
    const key = addressOrId.trim();
    const path = key.includes("@") ? `/admin/users?${new URLSearchParams({ email: key })}` : `/admin/users/${encodeURIComponent(key)}`;
    const { data } = await api.request("GET", path);
    renderUser(data);
    activityList.replaceChildren(...(await activityPage(undefined)));
  }

  async function reload() {
    await open(current.profile.userId);
  }

  function hideUser() {
    current = undefined;
    userView.hidden = true;
    facts.replaceChildren();
    emailList.replaceChildren();
    activityList.replaceChildren();
  }

  onSubmit(lookupForm, region, async (form) => {
    hideUser();
    await open(String(form.get("query") ?? ""));
  });

  onSubmit(suspendForm, region, async (form) => {
    await api.postJson(`/admin/users/${encodeURIComponent(current.profile.userId)}/suspend`, { reason: String(form.get("reason") ?? "") });
    suspendForm.reset();
    await reload();
    showMessage(region, "success", `${current.profile.email} is suspended.`);
  });

  reactivate.addEventListener("click", () =>
    busy(reactivate, region, async () => {
      showMessage(region, "info", "");
      await api.postJson(`/admin/users/${encodeURIComponent(current.profile.userId)}/reactivate`, undefined);
      await reload();
      showMessage(region, "success", `${current.profile.email} is active again.`);
    }),
  );

  purgeStart.addEventListener("click", () => {
    purgeText.textContent = `Erase ${current.profile.email} now? Everything the service holds about this account goes for good, and the address becomes free for anyone.`;
    purgeBox.hidden = false;
    purgeYes.focus();
  });
  purgeNo.addEventListener("click", () => {
    purgeBox.hidden = true;
  });
  purgeYes.addEventListener("click", () =>
    busy(purgeYes, region, async () => {
      const email = current.profile.email;
      const { data } = await api.postJson(`/admin/users/${encodeURIComponent(current.profile.userId)}/purge`, undefined);
      hideUser();
      showMessage(region, "success", `${email} was purged (${formatTime(data.purgedAt)}).`);
      if (listing) await showList(listing.status);
    }),
  );

  activityMore.addEventListener("click", () =>
    busy(activityMore, region, async () => activityList.append(...(await activityPage(activityCursor)))),
  );

  function listRow(item) {
    const openButton = el("button", { type: "button", class: "secondary small", text: "Open", "data-testid": "admin-list-open" });
    openButton.addEventListener("click", () =>
      busy(openButton, region, async () => {
        showMessage(region, "info", "");
        await open(item.userId);
      }),
    );
    return el(
      "li",
      { class: "feed-item", "data-testid": "admin-list-item", "data-user-id": item.userId, "data-status": item.status },
      el("div", { class: "feed-title" }, el("span", { text: item.email }), openButton),
      el("div", {
        class: "feed-meta",
        text: item.purgeAt ? `purge ${formatTime(item.purgeAt)} · updated ${formatTime(item.updatedAt)}` : `since ${formatTime(item.updatedAt)}`,
        "data-testid": "admin-list-dates",
      }),
      el("div", { class: "feed-meta mono", text: item.userId }),
    );
  }

  async function listPage(status, after) {
    const query = new URLSearchParams({ status, limit: "10", ...(after ? { cursor: after } : {}) });
    const { data } = await api.request("GET", `/admin/users?${query}`);
    listing = { status, cursor: data.nextCursor };
    listMore.hidden = !data.nextCursor;
    return data.items.map(listRow);
  }

  async function showList(status) {
    showMessage(listRegion, "info", "");
    const rows = await listPage(status, undefined);
    listTitle.textContent = STATUS_LABELS[status];
    list.replaceChildren(...rows);
    if (rows.length === 0) showMessage(listRegion, "info", "None.");
  }

  for (const status of Object.keys(STATUS_LABELS)) {
    const button = $(`#admin-list-${status}`);
    button.addEventListener("click", () => busy(button, listRegion, () => showList(status)));
  }
  listMore.addEventListener("click", () =>
    busy(listMore, listRegion, async () => list.append(...(await listPage(listing.status, listing.cursor)))),
  );

  return {
    /** Shown only to members of admins; hidden (and emptied) otherwise. */
    show(visible) {
      section.hidden = !visible;
      if (!visible) this.clear();
    },
    clear() {
      hideUser();
      listing = undefined;
      list.replaceChildren();
      listTitle.textContent = "";
      listMore.hidden = true;
      showMessage(region, "info", "");
      showMessage(listRegion, "info", "");
      lookupForm.reset();
    },
  };
}
