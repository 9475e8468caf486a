import { $, busy, el, formatTime, onSubmit, showMessage } from "./dom.js";

/**
 * The address list and its actions. The list is re-read from the API after every change rather
 * than patched locally, so what the page shows is what the service stored.
 */
export function createEmailsView({ api, onEmails, onPrimaryChanged }) {
  const list = $('[data-testid="email-list"]');
  const region = $('[data-testid="emails-message"]');
  const addForm = $("#add-email-form");

  async function load() {
    const emails = await api.listEmails();
    list.replaceChildren(...emails.map(row));
    onEmails(emails);
    return emails;
  }

  /** Runs an action from a row's button, then re-reads the list. */
  function action(button, run) {
    return () =>
      busy(button, region, async () => {
        showMessage(region, "info", "");
        const message = await run();
        await load();
        if (message) showMessage(region, "success", message);
      });
  }

  function verifyControls(record) {
    const inputId = `code-${record.emailId}`;
    const codeInput = el("input", { id: inputId, inputmode: "numeric", autocomplete: "one-time-code", "data-testid": "email-code-input" });
    const send = el("button", { type: "button", class: "secondary small", "data-testid": "email-send-code", text: "Send code" });
    send.addEventListener("click", action(send, async () => {
      const result = await api.sendCode(record.emailId);
      const left = result.remaining === null ? "" : ` (${result.remaining} more this hour)`;
      return `A new code was sent to ${record.email}${left}.`;
    }));
    const confirm = el("button", { type: "button", class: "small", "data-testid": "email-confirm", text: "Confirm code" });
    confirm.addEventListener("click", action(confirm, async () => {
      await api.confirmCode(record.emailId, codeInput.value.trim());
      return `${record.email} is verified.`;
    }));
    return el("div", { class: "verify" },
      el("label", { for: inputId, text: `Code for ${record.email}` }),
      el("div", { class: "row tight" }, codeInput, confirm, send));
  }

  function row(record) {
    const buttons = [];
    if (record.isVerified && !record.isPrimary) {
      const primary = el("button", { type: "button", class: "small", "data-testid": "email-make-primary", text: "Make primary" });
      primary.addEventListener("click", action(primary, async () => {
        await api.makePrimary(record.emailId);
        await onPrimaryChanged();
        return `${record.email} is now your primary address.`;
      }));
      buttons.push(primary);
    }
    if (!record.isPrimary) {
      const remove = el("button", { type: "button", class: "danger small", "data-testid": "email-remove", text: "Remove" });
      remove.setAttribute("aria-label", `Remove ${record.email}`);
      remove.addEventListener("click", action(remove, async () => {
        await api.removeEmail(record.emailId);
        return `${record.email} was removed.`;
      }));
      buttons.push(remove);
    }
    return el("li", { class: "email", "data-testid": "email-row", "data-email": record.email, "data-email-id": record.emailId },
      el("div", { class: "email-head" },
        el("span", { class: "address", "data-testid": "email-address", text: record.email }),
        record.isPrimary && el("span", { class: "badge primary", "data-testid": "email-primary-badge", text: "Primary" }),
        el("span", {
          class: record.isVerified ? "badge verified" : "badge unverified",
          "data-testid": "email-verified-badge",
          text: record.isVerified ? "Verified" : "Not verified",
          title: record.verifiedAt ? `Verified ${formatTime(record.verifiedAt)}` : undefined,
        }),
        el("span", { class: "actions" }, ...buttons)),
      !record.isVerified && verifyControls(record));
  }

  onSubmit(addForm, region, async (data) => {
    const address = String(data.get("email")).trim();
    const result = await api.addEmail(address);
    addForm.reset();
    await load();
    const left = result.remaining === null ? "" : ` (${result.remaining} more this hour)`;
    showMessage(region, "success", `${result.email.email} was added. A verification code was sent${left}.`);
  });

  return {
    load,
    clear() {
      list.replaceChildren();
      addForm.reset();
      showMessage(region, "info", "");
    },
  };
}
