import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalConfig } from "../../local/gateway/localEndpoints.js";
import { localEndpoint } from "../../src/adapters/localEndpoint.js";
import { launchChromium, screenshot, screenshotFailures, WAIT } from "./chromium.js";
import { openStack, type StackUnderTest } from "./stackUnderTest.js";

/**
 * The admin console on the web page (SPEC 12.9), in headless Chromium against the real local
 * stack: an admin (made with `npm run admin`) finds a user by address, suspends with a reason (the
 * user's next write is 403), reactivates, opens the lists of suspended and deleted accounts, and
 * purges a deleted test account. The accounts acted on are made over the Cognito API; the admin
 * works only through the page's controls.
 */

const README_IMAGE = path.resolve("docs/images/admin-console.png");
const PASSWORD = "Admin-Console-Pass-1!";
const run = randomUUID().slice(0, 8);
const adminAddress = `admin-${run}@example.com`;
const targetAddress = `target-${run}@example.com`;
const leaverAddress = `leaver-${run}@example.com`;

let stack: StackUnderTest;
let config: LocalConfig;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const accounts: Record<string, { userId: string; accessToken: string }> = {};

const byTestId = (id: string) => page.getByTestId(id);
const text = async (id: string) => ((await byTestId(id).textContent()) ?? "").trim();
const shot = (name: string) => screenshot(page, name);
const listed = (userId: string) => page.locator(`[data-testid="admin-list-item"][data-user-id="${userId}"]`);

async function cognito<T>(use: (client: CognitoIdentityProviderClient) => Promise<T>): Promise<T> {
  const client = new CognitoIdentityProviderClient({ region: config.region, ...localEndpoint(config.cognitoEndpoint) });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

async function signIn(address: string) {
  const result = await cognito((client) =>
    client.send(new InitiateAuthCommand({ ClientId: config.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: address, PASSWORD } })),
  );
  const accessToken = result.AuthenticationResult?.AccessToken ?? "";
  const { sub } = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString()) as { sub: string };
  return { userId: sub, accessToken };
}

/** Polls `probe` (outside a test: beforeAll) until it returns a value. */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, WAIT.interval));
  }
}

/** Sign-up, the mailed code (the local mailbox), confirmation, sign-in. */
async function register(address: string) {
  await cognito((client) => client.send(new SignUpCommand({ ClientId: config.clientId, Username: address, Password: PASSWORD })));
  const code = await until(async () => {
    const { messages } = (await (await fetch(`${stack.url}/_local/mailbox?to=${encodeURIComponent(address)}`)).json()) as { messages: { code: string | null }[] };
    return messages.findLast((m) => m.code)?.code ?? undefined;
  });
  await cognito((client) => client.send(new ConfirmSignUpCommand({ ClientId: config.clientId, Username: address, ConfirmationCode: code })));
  accounts[address] = await signIn(address);
  // The profile is written by the PostConfirmation trigger; wait until the API has it.
  await until(async () => ((await callApi("GET", "/users/me", accounts[address]!.accessToken)).status === 200 ? true : undefined));
}

async function callApi(method: string, route: string, token: string, body?: unknown) {
  const response = await fetch(`${stack.url}${route}`, {
    method,
    headers: { Authorization: token, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as { message?: string } | undefined };
}

async function lookUp(query: string) {
  await byTestId("admin-lookup").fill(query);
  await byTestId("admin-lookup-submit").click();
  await expect.poll(() => byTestId("admin-lookup-submit").isEnabled(), WAIT).toBe(true);
}

describe("admin console", () => {
  beforeAll(async () => {
    mkdirSync(path.dirname(README_IMAGE), { recursive: true });
    stack = await openStack();
    config = (await (await fetch(`${stack.url}/_local/config`)).json()) as LocalConfig;
    for (const address of [adminAddress, targetAddress, leaverAddress]) await register(address);
    // The first admin is made the documented way: npm run admin -- EMAIL (then a new sign-in).
    await promisify(execFile)("npx", ["tsx", "local/makeAdmin.ts", adminAddress], { env: { ...process.env, API_URL: stack.url } });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  screenshotFailures("failed-admin-", () => page);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows no console to a user outside admins", async () => {
    await page.goto(stack.url);
    await byTestId("sign-in-email").fill(targetAddress);
    await byTestId("sign-in-password").fill(PASSWORD);
    await byTestId("sign-in-submit").click();
    await expect.poll(() => text("session-status"), WAIT).toBe(`Signed in as ${targetAddress}`);
    expect(await byTestId("admin-console").isVisible()).toBe(false);
    await byTestId("sign-out").click();
    await expect.poll(() => text("session-status"), WAIT).toBe("Signed out");
  });

  it("shows the console to a signed-in admin", async () => {
    await byTestId("sign-in-email").fill(adminAddress);
    await byTestId("sign-in-password").fill(PASSWORD);
    await byTestId("sign-in-submit").click();
    await expect.poll(() => text("session-status"), WAIT).toBe(`Signed in as ${adminAddress}`);
    await expect.poll(() => byTestId("admin-console").isVisible(), WAIT).toBe(true);
  });

  it("finds a user by address: profile, addresses and activity; an unknown address shows the API's 404", async () => {
    await lookUp("nobody-" + targetAddress);
    await expect.poll(() => text("admin-message"), WAIT).toContain("User not found");

    await lookUp(targetAddress.toUpperCase());
    await expect.poll(() => text("admin-user-email"), WAIT).toBe(targetAddress);
    expect(await text("admin-user-status")).toBe("active");
    expect(await text("admin-user-id")).toBe(accounts[targetAddress]!.userId);
    expect(await page.locator(`[data-testid="admin-user-email-row"][data-email="${targetAddress}"]`).textContent()).toContain("primary");
    await expect.poll(() => page.locator('[data-testid="admin-activity-item"][data-type="user.created"]').count(), WAIT).toBe(1);
    await shot("admin-01-user-found");
  });

  it("suspends with a reason: the user's next write is 403; the suspended list shows the account", async () => {
    await byTestId("admin-suspend").click();
    // The reason is required: the browser keeps the form until one is given.
    expect(await text("admin-user-status")).toBe("active");
    await byTestId("admin-suspend-reason").fill("Browser test: reported spam");
    await byTestId("admin-suspend").click();
    await expect.poll(() => text("admin-user-status"), WAIT).toBe("suspended");
    // The status shows as soon as the user is re-read; the message once its activity is too.
    await expect.poll(() => text("admin-message"), WAIT).toContain(`${targetAddress} is suspended`);
    await expect.poll(() => page.locator('[data-testid="admin-activity-item"][data-type="user.suspended"]').textContent(), WAIT).toContain("Browser test: reported spam");

    const write = await callApi("PUT", "/users/me", accounts[targetAddress]!.accessToken, { firstName: "Eve" });
    expect(write).toEqual({ status: 403, body: expect.objectContaining({ message: "Account is not active" }) });

    await byTestId("admin-list-suspended").click();
    await expect.poll(() => listed(accounts[targetAddress]!.userId).count(), WAIT).toBe(1);
    expect(await text("admin-list-title")).toBe("Suspended accounts");
    expect(await listed(accounts[targetAddress]!.userId).textContent()).toContain(targetAddress);
    await shot("admin-02-suspended");
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (!existsSync(README_IMAGE) || process.env.UPDATE_README_IMAGE === "1") {
      await page.mouse.move(0, 0);
      await byTestId("admin-console").screenshot({ path: README_IMAGE });
    }
  });

  it("reactivates: the user can write again and leaves the suspended list", async () => {
    await byTestId("admin-reactivate").click();
    await expect.poll(() => text("admin-user-status"), WAIT).toBe("active");
    // The status shows as soon as the user is re-read; the message once its activity is too.
    await expect.poll(() => text("admin-message"), WAIT).toContain(`${targetAddress} is active again`);
    const write = await callApi("PUT", "/users/me", accounts[targetAddress]!.accessToken, { firstName: "Eve" });
    expect(write.status).toBe(200);

    await byTestId("admin-list-suspended").click();
    await expect.poll(() => listed(accounts[targetAddress]!.userId).count(), WAIT).toBe(0);
    await shot("admin-03-reactivated");
  });

  it("lists a deleted account with its purge date, and purges it after a confirmation naming the address", async () => {
    const leaver = accounts[leaverAddress]!;
    expect((await callApi("DELETE", "/users/me", leaver.accessToken)).status).toBe(200);

    await byTestId("admin-list-deleted").click();
    await expect.poll(() => listed(leaver.userId).count(), WAIT).toBe(1);
    expect(await text("admin-list-title")).toBe("Deleted accounts");
    expect(await listed(leaver.userId).getByTestId("admin-list-dates").textContent()).toMatch(/^purge /);
    await shot("admin-04-deleted-list");

    await listed(leaver.userId).getByTestId("admin-list-open").click();
    await expect.poll(() => text("admin-user-email"), WAIT).toBe(leaverAddress);
    expect(await text("admin-user-status")).toBe("deleted");
    await byTestId("admin-purge").click();
    expect(await text("admin-purge-text")).toContain(leaverAddress);
    await shot("admin-05-purge-confirmation");
    await byTestId("admin-purge-confirm").click();
    await expect.poll(() => text("admin-message"), WAIT).toContain(`${leaverAddress} was purged`);
    expect(await byTestId("admin-user").isVisible()).toBe(false);
    await expect.poll(() => listed(leaver.userId).count(), WAIT).toBe(0);

    await lookUp(leaver.userId);
    await expect.poll(() => text("admin-message"), WAIT).toContain("User not found");
    await shot("admin-06-purged");
  });

  it("an admin cannot change its own account: the API's message is shown", async () => {
    await lookUp(adminAddress);
    await expect.poll(() => text("admin-user-email"), WAIT).toBe(adminAddress);
    await byTestId("admin-suspend-reason").fill("self");
    await byTestId("admin-suspend").click();
    await expect.poll(() => text("admin-message"), WAIT).toContain("Admins cannot change the status of their own account");
  });

  it("had no page errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
