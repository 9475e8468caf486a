import { $, busy, el, formatTime, onSubmit, showError, showMessage } from "./dom.js";

const FIELDS = ["firstName", "lastName", "phone"];

/**
 * The profile card. Keeps the ETag from the last read and sends it as If-Match, so an edit made
 * on a stale view is refused (412) instead of silently overwriting someone else's change.
 */
export function createProfileView({ api, onProfile }) {
  const form = $("#profile-form");
  const region = form.querySelector(".message");
  let current;
  let etag;

  function render(profile) {
    current = profile;
    const name = [profile.firstName, profile.lastName].filter(Boolean).join(" ");
    $('[data-testid="profile-email"]').textContent = profile.email;
    $('[data-testid="profile-name"]').textContent = name || "—";
    $('[data-testid="profile-phone"]').textContent = profile.phone || "—";
    $('[data-testid="profile-status"]').textContent = profile.status;
    $('[data-testid="profile-version"]').textContent = String(profile.version);
    $('[data-testid="profile-updated"]').textContent = formatTime(profile.updatedAt);
    $('[data-testid="profile-user-id"]').textContent = profile.userId;
    form.elements.firstName.value = profile.firstName ?? "";
    form.elements.lastName.value = profile.lastName ?? "";
    form.elements.phone.value = profile.phone ?? "";
    onProfile(profile);
  }

  async function load() {
    const result = await api.getProfile();
    etag = result.etag;
    render(result.profile);
  }

  /** Only the fields the user changed; an emptied field is sent as null, which clears it. */
  function patchFrom(data) {
    const patch = {};
    for (const field of FIELDS) {
      const value = String(data.get(field) ?? "").trim();
      if (value === (current?.[field] ?? "")) continue;
      patch[field] = value === "" ? null : value;
    }
    return patch;
  }

  onSubmit(form, region, async (data) => {
    const patch = patchFrom(data);
    if (Object.keys(patch).length === 0) {
      showMessage(region, "info", "Nothing to save: no field changed.");
      return;
    }
    let result;
    try {
      result = await api.updateProfile(patch, etag);
    } catch (error) {
      if (error.status !== 409 && error.status !== 412) throw error;
      // Someone else changed the profile since this page read it: show theirs before editing again.
      showError(region, error);
      region.append(el("p", { text: "Press Reload to see the latest version, then make your change again." }));
      return;
    }
    if (result.etag) {
      etag = result.etag;
      render(result.profile);
    } else {
      await load();
    }
    showMessage(region, "success", `Profile saved (version ${current.version}).`);
  });

  const reload = $("#profile-reload");
  reload.addEventListener("click", () =>
    busy(reload, region, async () => {
      await load();
      showMessage(region, "info", "Profile reloaded.");
    }),
  );

  return {
    load,
    clear() {
      current = undefined;
      etag = undefined;
      form.reset();
      showMessage(region, "info", "");
    },
  };
}
