import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, screenshotFailures, WAIT } from "./chromium.js";
import { openStack, type StackUnderTest } from "./stackUnderTest.js";

/**
 * A user's whole life on the web page, in headless Chromium against the real local stack: every
 * step goes through the page's own controls, and every code is read off the page's mailbox panel.
 */

const README_IMAGE = path.resolve("docs/images/web-page.png");
const PASSWORD = "Walkthrough-Pass-1!";

const run = randomUUID().slice(0, 8);
const firstAddress = `walker-${run}@example.com`;
const secondAddress = `walker-${run}-new@example.com`;

let stack: StackUnderTest;
let browser: Browser;
let page: Page;
let userId = "";
const pageErrors: string[] = [];

const byTestId = (id: string) => page.getByTestId(id);
const text = async (id: string) => ((await byTestId(id).textContent()) ?? "").trim();
const emailRow = (address: string) => page.locator(`[data-testid="email-row"][data-email="${address}"]`);
const shot = (name: string) => screenshot(page, name);

/** The newest code the mailbox panel shows for an address, waiting until one arrives. */
async function codeFromMailbox(address: string): Promise<string> {
  let code = "";
  await expect
    .poll(async () => {
      const codes = page.locator(`[data-testid="mailbox-message"][data-to="${address}"] [data-testid="mailbox-code"]`);
      code = (await codes.count()) > 0 ? ((await codes.first().textContent()) ?? "").trim() : "";
      return code !== "";
    }, WAIT)
    .toBe(true);
  expect(code).toMatch(/^\d{6}$/);
  return code;
}

/** Waits until the event panel shows an event of this type for the walking user. */
async function eventShown(detailType: string, hasText?: string) {
  const events = page.locator(`[data-testid="event"][data-detail-type="${detailType}"][data-user-id="${userId}"]`);
  const matching = hasText ? events.filter({ hasText }) : events;
  await expect.poll(() => matching.count(), WAIT).toBeGreaterThan(0);
  const correlation = (await matching.first().getByTestId("event-correlation-id").textContent()) ?? "";
  expect(correlation).toMatch(/^correlation \S{8,}/);
}

/** Submits the sign-in form and waits for its outcome (the button is disabled while it runs). */
async function attemptSignIn(address: string): Promise<"signed in" | "refused"> {
  await byTestId("sign-in-email").fill(address);
  await byTestId("sign-in-password").fill(PASSWORD);
  await byTestId("sign-in-submit").click();
  await expect.poll(() => byTestId("sign-in-submit").isEnabled(), WAIT).toBe(true);
  return (await text("session-status")).startsWith("Signed in") ? "signed in" : "refused";
}

describe("web page walkthrough", () => {
  beforeAll(async () => {
    mkdirSync(path.dirname(README_IMAGE), { recursive: true });
    stack = await openStack();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(stack.url);
  });

  screenshotFailures("failed-", () => page);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("opens signed out, with the local mailbox and event panels", async () => {
    await expect.poll(() => text("session-status"), WAIT).toBe("Signed out");
    expect(await byTestId("sign-up-form").isVisible()).toBe(true);
    expect(await byTestId("mailbox").isVisible()).toBe(true);
    expect(await byTestId("events").isVisible()).toBe(true);
    await shot("01-signed-out");
  });

  it("shows Cognito's own message for a password that breaks the policy", async () => {
    await byTestId("sign-up-email").fill(firstAddress);
    await byTestId("sign-up-password").fill("short");
    await byTestId("sign-up-submit").click();
    const message = byTestId("sign-up-message");
    await expect.poll(() => message.getAttribute("class"), WAIT).toContain("message-error");
    expect(await message.textContent()).toMatch(/password/i);
  });

  it("signs up and confirms with the code the mailbox panel shows", async () => {
    await byTestId("sign-up-email").fill(firstAddress);
    await byTestId("sign-up-password").fill(PASSWORD);
    await byTestId("sign-up-submit").click();
    await expect.poll(() => text("sign-up-message"), WAIT).toContain("confirmation code was sent");

    const code = await codeFromMailbox(firstAddress);
    await shot("02-signed-up-code-in-mailbox");
    expect(await byTestId("confirm-email").inputValue()).toBe(firstAddress);
    await byTestId("confirm-code").fill(code);
    await byTestId("confirm-submit").click();
    await expect.poll(() => text("confirm-message"), WAIT).toBe(`${firstAddress} is confirmed. You can sign in now.`);
  });

  it("signs in and shows the profile the confirmation created", async () => {
    expect(await byTestId("sign-in-email").inputValue()).toBe(firstAddress);
    expect(await attemptSignIn(firstAddress)).toBe("signed in");
    await expect.poll(() => text("session-status"), WAIT).toBe(`Signed in as ${firstAddress}`);
    expect(await text("profile-email")).toBe(firstAddress);
    expect(await text("profile-status")).toBe("active");
    userId = await text("profile-user-id");
    expect(userId).not.toBe("");

    const rows = page.getByTestId("email-row");
    expect(await rows.count()).toBe(1);
    expect(await emailRow(firstAddress).getByTestId("email-primary-badge").textContent()).toBe("Primary");
    expect(await emailRow(firstAddress).getByTestId("email-verified-badge").textContent()).toBe("Verified");
    await eventShown("user.created", firstAddress);
    await shot("03-signed-in");
  });

  it("shows the API's validation details, then saves a valid profile edit", async () => {
    const versionBefore = Number(await text("profile-version"));
    await byTestId("profile-first-name").fill("Ada");
    await byTestId("profile-last-name").fill("Lovelace");
    await byTestId("profile-phone-input").fill("555-0100");
    await byTestId("profile-save").click();
    const message = byTestId("profile-message");
    await expect.poll(() => message.getAttribute("class"), WAIT).toContain("message-error");
    expect(await message.locator("li").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^phone: /)]));
    expect(await text("profile-version")).toBe(String(versionBefore));

    await byTestId("profile-phone-input").fill("+14155550100");
    await byTestId("profile-save").click();
    await expect.poll(() => text("profile-message"), WAIT).toBe(`Profile saved (version ${versionBefore + 1}).`);
    expect(await text("profile-name")).toBe("Ada Lovelace");
    expect(await text("profile-phone")).toBe("+14155550100");

    // What the page shows is what the service stored.
    await byTestId("profile-reload").click();
    await expect.poll(() => text("profile-message"), WAIT).toBe("Profile reloaded.");
    expect(await text("profile-name")).toBe("Ada Lovelace");
    expect(await text("profile-version")).toBe(String(versionBefore + 1));
    await eventShown("user.updated");
    await shot("04-profile-edited");
  });

  it("adds an address, refuses a wrong code, and verifies it with the mailed one", async () => {
    await byTestId("add-email-input").fill(secondAddress);
    await byTestId("add-email-submit").click();
    await expect.poll(() => text("emails-message"), WAIT).toContain(`${secondAddress} was added`);
    const row = emailRow(secondAddress);
    expect(await row.getByTestId("email-verified-badge").textContent()).toBe("Not verified");
    expect(await row.getByTestId("email-make-primary").count()).toBe(0);

    const code = await codeFromMailbox(secondAddress);
    const wrong = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
    await row.getByTestId("email-code-input").fill(wrong);
    await row.getByTestId("email-confirm").click();
    await expect.poll(() => byTestId("emails-message").getAttribute("class"), WAIT).toContain("message-error");
    expect(await emailRow(secondAddress).getByTestId("email-verified-badge").textContent()).toBe("Not verified");

    await row.getByTestId("email-code-input").fill(code);
    await row.getByTestId("email-confirm").click();
    await expect.poll(() => text("emails-message"), WAIT).toBe(`${secondAddress} is verified.`);
    expect(await emailRow(secondAddress).getByTestId("email-verified-badge").textContent()).toBe("Verified");
    await eventShown("email.added", secondAddress);
    await eventShown("email.verified", secondAddress);
    await shot("05-email-verified");
  });

  it("makes the new address primary; the old one gets a notice", async () => {
    await emailRow(secondAddress).getByTestId("email-make-primary").click();
    await expect.poll(() => text("emails-message"), WAIT).toBe(`${secondAddress} is now your primary address.`);
    expect(await emailRow(secondAddress).getByTestId("email-primary-badge").count()).toBe(1);
    expect(await emailRow(firstAddress).getByTestId("email-primary-badge").count()).toBe(0);
    expect(await page.getByTestId("email-row").first().getAttribute("data-email")).toBe(secondAddress);
    await expect.poll(() => text("profile-email"), WAIT).toBe(secondAddress);
    expect(await text("session-status")).toBe(`Signed in as ${secondAddress}`);

    await eventShown("email.primary.changed", secondAddress);
    const notices = page.locator(`[data-testid="mailbox-message"][data-to="${firstAddress}"]`).filter({
      hasNot: page.getByTestId("mailbox-code"),
    });
    await expect.poll(() => notices.count(), WAIT).toBeGreaterThan(0);
    await shot("06-primary-changed");
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (!existsSync(README_IMAGE) || process.env.UPDATE_README_IMAGE === "1") {
      await page.mouse.move(0, 0);
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: README_IMAGE });
    }
  });

  it("lists the account's activity, newest first, and downloads the data as a file", async () => {
    const items = page.getByTestId("activity-item");
    await expect.poll(async () => items.first().getAttribute("data-type"), WAIT).toBe("email.primary.changed");
    const types = await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-type")));
    expect(types).toEqual(expect.arrayContaining(["email.verified", "email.added", "user.updated", "user.created"]));
    expect(await page.locator('[data-testid="activity-item"][data-type="user.created"]').getAttribute("data-actor")).toBe("system");

    const [download] = await Promise.all([page.waitForEvent("download"), byTestId("export-download").click()]);
    expect(download.suggestedFilename()).toBe(`user-export-${userId}.json`);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, "utf8")) as { profile: { userId: string; email: string }; emails: unknown[]; activity: { type: string }[] };
    expect(exported.profile).toMatchObject({ userId, email: secondAddress });
    expect(exported.emails).toHaveLength(2);
    expect(exported.activity[0]?.type).toBe("email.primary.changed");
    expect(JSON.stringify(exported)).not.toMatch(/codeHash/);
    await shot("06b-activity-and-export");
  });

  it("signs out", async () => {
    await byTestId("sign-out").click();
    await expect.poll(() => text("session-status"), WAIT).toBe("Signed out");
    expect(await text("notice")).toBe("You are signed out on every device.");
    expect(await byTestId("profile").isVisible()).toBe(false);
    await shot("07-signed-out");
  });

  it("signs in with the new primary address", async () => {
    // Cognito learns the new address from the email.primary.changed event, a moment after the change.
    await expect.poll(() => attemptSignIn(secondAddress), WAIT).toBe("signed in");
    expect(await text("session-status")).toBe(`Signed in as ${secondAddress}`);
    expect(await text("profile-name")).toBe("Ada Lovelace");
    await shot("08-signed-in-with-new-address");
  });

  it("deletes the account, after which signing in is refused", async () => {
    await byTestId("delete-account").click();
    await byTestId("delete-confirm").click();
    await expect.poll(() => text("notice"), WAIT).toMatch(/^Your account was deleted/);
    // The purge date the API answered (SPEC 12.1).
    expect(await text("notice")).toMatch(/It will be erased for good on .+\./);
    expect(await text("session-status")).toBe("Signed out");
    await eventShown("user.deleted");

    // A consumer of user.deleted disables the user in Cognito: until it has, a sign-in may still pass.
    await expect
      .poll(async () => {
        const outcome = await attemptSignIn(secondAddress);
        if (outcome === "signed in") {
          await byTestId("sign-out").click();
          await expect.poll(() => text("session-status"), WAIT).toBe("Signed out");
        }
        return outcome;
      }, WAIT)
      .toBe("refused");
    expect(await byTestId("sign-in-message").getAttribute("class")).toContain("message-error");
    await shot("09-deleted-sign-in-refused");
  });

  it("restores the account through the restore link mailed with the deletion notice", async () => {
    // The notice went to the primary address; the mailbox panel shows its link (SPEC 7, 12.1).
    const link = page
      .locator(`[data-testid="mailbox-message"][data-to="${secondAddress}"]`)
      .filter({ hasText: "Your account was deleted" })
      .getByTestId("mailbox-link");
    await expect.poll(() => link.count(), WAIT).toBeGreaterThan(0);
    expect(await link.first().getAttribute("href")).toMatch(/\/#restore=[A-Za-z0-9_-]{43}$/);
    await link.first().click();
    await expect.poll(() => text("notice"), WAIT).toMatch(/^Account restored/);
    // The token leaves the address bar once used.
    expect(page.url()).not.toContain("#restore=");

    // The Cognito-sync consumer enables the user on user.restored: until it has, sign-in is refused.
    await expect.poll(() => attemptSignIn(secondAddress), WAIT).toBe("signed in");
    expect(await text("session-status")).toBe(`Signed in as ${secondAddress}`);
    await eventShown("user.restored");
    await shot("10-restored-through-link");
  });

  it("raised no uncaught error in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
