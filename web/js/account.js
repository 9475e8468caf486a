import { $, busy, showMessage } from "./dom.js";

/** Deleting the account asks once more inline (no window.confirm: it blocks and is easy to miss). */
export function setupDeleteAccount({ api, onDeleted }) {
  const start = $("#delete-start");
  const confirmBox = $("#delete-confirm");
  const yes = $("#delete-yes");
  const region = $('[data-testid="delete-message"]');

  const ask = (open) => {
    confirmBox.hidden = !open;
    start.hidden = open;
    if (open) yes.focus();
  };

  start.addEventListener("click", () => ask(true));
  $("#delete-no").addEventListener("click", () => ask(false));
  yes.addEventListener("click", () =>
    busy(yes, region, async () => {
      const result = await api.deleteAccount();
      ask(false);
      await onDeleted(result);
    }),
  );

  return {
    reset() {
      ask(false);
      showMessage(region, "info", "");
    },
  };
}
