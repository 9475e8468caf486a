import { $, el, formatTime } from "./dom.js";

const POLL_MS = 1500;
const MAX_EVENTS = 50;

/**
 * The local stack's mailbox and event stream, polled. A panel re-renders only when its data
 * changed, so polling neither flickers nor steals a selection the user is making.
 */
export function startPanels({ addresses, userId }) {
  $("#local-panels").hidden = false;
  const mailList = $('[data-testid="mailbox-messages"]');
  const mailAddresses = $('[data-testid="mailbox-addresses"]');
  const eventList = $('[data-testid="event-list"]');
  const onlyMine = $("#events-mine");
  let lastMail = "";
  let lastEvents = "";

  async function getJson(path) {
    const response = await fetch(path, { cache: "no-store" });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  async function pollMailbox() {
    const watched = addresses();
    const boxes = await Promise.all(
      watched.map((to) => getJson(`/_local/mailbox?to=${encodeURIComponent(to)}`).then((box) => box.messages)),
    );
    // Newest first. SES stores whole seconds: within one, each box's own order (newest last) decides.
    const messages = boxes.flatMap((box) => [...box].reverse()).sort((a, b) => b.sentAt.localeCompare(a.sentAt));
    const snapshot = JSON.stringify([watched, messages]);
    if (snapshot === lastMail) return;
    lastMail = snapshot;
    mailAddresses.textContent = watched.length > 0 ? `Showing mail for ${watched.join(", ")}` : "No addresses yet.";
    mailList.replaceChildren(...messages.map(mailItem));
  }

  async function pollEvents() {
    const { events } = await getJson("/_local/events");
    const mine = onlyMine.checked ? userId() : undefined;
    const shown = mine ? events.filter((e) => e.detail?.userId === mine) : events;
    const newest = shown.slice(-MAX_EVENTS).reverse();
    const snapshot = JSON.stringify(newest.map((e) => e.id));
    if (snapshot === lastEvents) return;
    lastEvents = snapshot;
    eventList.replaceChildren(...newest.map(eventItem));
  }

  // Sequential polling (not setInterval) so a slow response never stacks requests up.
  async function loop(poll) {
    for (;;) {
      try {
        await poll();
      } catch {
        // The stack may be restarting; the next round tries again.
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  onlyMine.addEventListener("change", () => pollEvents().catch(() => undefined));
  loop(pollMailbox);
  loop(pollEvents);

  return { refresh: () => Promise.allSettled([pollMailbox(), pollEvents()]) };
}

function mailItem(message) {
  return el("li", { class: "feed-item", "data-testid": "mailbox-message", "data-to": message.to },
    el("div", { class: "feed-title", text: message.subject }),
    el("div", { class: "feed-meta" },
      el("span", { text: `To ${message.to}` }),
      el("time", { datetime: message.sentAt, text: formatTime(message.sentAt) })),
    message.code && el("div", { class: "code" }, el("span", { text: "Code " }), el("code", { "data-testid": "mailbox-code", text: message.code })),
    // A restore or revert link opens this page, which acts on it (links.js). Only links to this page are shown.
    isPageLink(message.link) && el("a", { class: "mail-link", "data-testid": "mailbox-link", href: message.link, text: "Open the link" }));
}

function isPageLink(link) {
  try {
    return typeof link === "string" && new URL(link).origin === location.origin;
  } catch {
    return false;
  }
}

/** One line of what the event says, beyond its type: enough to follow a walkthrough. */
function summary(detail) {
  if (detail.changedFields) return `changed ${detail.changedFields.join(", ")}`;
  if (detail.newEmail) return `${detail.oldEmail} → ${detail.newEmail}`;
  if (detail.email) return detail.email;
  if (detail.reason) return detail.reason;
  return detail.userId ?? "";
}

function eventItem(event) {
  const detail = event.detail ?? {};
  return el("li", { class: "feed-item", "data-testid": "event", "data-detail-type": event["detail-type"], "data-user-id": detail.userId },
    el("div", { class: "feed-title" },
      el("span", { class: "event-type", "data-testid": "event-type", text: event["detail-type"] }),
      el("span", { class: "feed-summary", text: summary(detail) })),
    el("div", { class: "feed-meta" },
      el("time", { datetime: event.time, text: formatTime(event.time) }),
      el("span", { "data-testid": "event-correlation-id", text: `correlation ${detail.metadata?.correlationId ?? "—"}` })));
}
