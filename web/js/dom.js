/** Small DOM helpers. Text is always set with textContent: nothing from the network becomes markup. */

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child !== undefined && child !== null && child !== false));
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows an outcome in a message region: `kind` is "error", "success" or "info". */
export function showMessage(region, kind, text, details = []) {
  region.replaceChildren();
  region.className = `message message-${kind}`;
  region.hidden = !text;
  if (!text) return;
  region.setAttribute("role", kind === "error" ? "alert" : "status");
  region.append(el("p", { text }));
  if (details.length > 0) {
    region.append(el("ul", {}, ...details.map((d) => el("li", { text: d.field ? `${d.field}: ${d.message}` : d.message }))));
  }
}

export function clearMessage(region) {
  showMessage(region, "info", "");
}

/** An ApiError or CognitoError as the user should read it: the service's own message and details. */
export function showError(region, error) {
  showMessage(region, "error", error?.message ?? String(error), error?.details ?? []);
  // The request id lets an operator find this exact request in the logs.
  if (error?.requestId) region.append(el("p", { class: "hint", text: `Request id ${error.requestId}` }));
}

/**
 * Runs `action` for a button or form submit: disables the control meanwhile (no double submits)
 * and routes a thrown error into `region`.
 */
export async function busy(control, region, action) {
  control.disabled = true;
  control.setAttribute("aria-busy", "true");
  try {
    await action();
  } catch (error) {
    showError(region, error);
  } finally {
    control.disabled = false;
    control.removeAttribute("aria-busy");
  }
}

export function onSubmit(form, region, action) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]') ?? form;
    clearMessage(region);
    busy(submit, region, () => action(new FormData(form)));
  });
}

export const formatTime = (iso) => (iso ? new Date(iso).toLocaleString() : "");
