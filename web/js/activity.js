import { $, busy, el, formatTime, showMessage } from "./dom.js";

/** What each change is called on the page; unknown types show their detail-type as is. */
const LABELS = {
  "user.created": "Account created",
  "user.updated": "Profile updated",
  "user.deleted": "Account deleted",
  "user.suspended": "Account suspended",
  "user.reactivated": "Account reactivated",
  "email.added": "Address added",
  "email.verified": "Address verified",
  "email.removed": "Address removed",
  "email.primary.changed": "Primary address changed",
};

function actorText(actor, ownUserId) {
  if (actor?.type === "system") return "by the service";
  if (actor?.type === "admin") return `by an admin (${actor.userId})`;
  return actor?.userId === ownUserId ? "by you" : `by ${actor?.userId ?? "someone"}`;
}

function summary(item) {
  const d = item.details ?? {};
  if (item.type === "user.updated") return (d.changedFields ?? []).join(", ");
  if (item.type === "email.primary.changed") return `${d.oldEmail} → ${d.newEmail}`;
  if (item.type === "user.suspended") return d.reason;
  return d.email ?? "";
}

/**
 * The account's activity, newest first: the first page on load, older pages on "Show older"
 * (the API's opaque cursor, handed back as given), and the "Download my data" button, which saves
 * GET /users/me/export as the file the API names.
 */
export function createActivityView({ api, userId }) {
  const list = $('[data-testid="activity-list"]');
  const more = $("#activity-more");
  const region = $('[data-testid="activity-message"]');
  const download = $("#export-download");
  let cursor;

  function row(item) {
    return el(
      "li",
      { "data-testid": "activity-item", "data-type": item.type, "data-actor": item.actor?.type },
      el("strong", { text: LABELS[item.type] ?? item.type }),
      " ",
      el("span", { class: "hint", text: `${actorText(item.actor, userId())} · ${formatTime(item.occurredAt)}` }),
      summary(item) ? el("div", { class: "mono", text: summary(item) }) : undefined,
    );
  }

  async function page(after) {
    const result = await api.listActivity(after);
    cursor = result.nextCursor;
    more.hidden = !cursor;
    return result.items.map(row);
  }

  more.addEventListener("click", () => busy(more, region, async () => list.append(...(await page(cursor)))));
  $("#activity-reload").addEventListener("click", () => busy($("#activity-reload"), region, load));
  download.addEventListener("click", () =>
    busy(download, region, async () => {
      const { data, fileName } = await api.exportData();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const link = el("a", { href: url, download: fileName ?? "user-export.json", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      showMessage(region, "success", `Saved ${fileName ?? "your data"}.`);
    }),
  );

  async function load() {
    showMessage(region, "info", "");
    list.replaceChildren(...(await page(undefined)));
  }

  return {
    load,
    clear() {
      cursor = undefined;
      more.hidden = true;
      list.replaceChildren();
      showMessage(region, "info", "");
    },
  };
}
