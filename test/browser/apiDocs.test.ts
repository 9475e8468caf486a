import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRoutesOf, readServerlessFunctions } from "../../local/lambda/serverlessFunctions.js";
import { launchChromium, screenshot, screenshotFailures, WAIT } from "./chromium.js";
import { openStack, type StackUnderTest } from "./stackUnderTest.js";

/**
 * The interactive API reference at /docs (Swagger UI from node_modules), in headless Chromium
 * against the real local stack: it lists every route of serverless.yml, and "Try it out" on
 * GET /users/me answers 200 with the token of the user signed in on the web page, or with one
 * pasted into the Authorize dialog.
 */

const PASSWORD = "Api-Docs-Pass-1!";
const address = `docs-${randomUUID().slice(0, 8)}@example.com`;

let stack: StackUnderTest;
let browser: Browser;
let page: Page;
let accessToken = "";
const pageErrors: string[] = [];
const requestsElsewhere: string[] = [];

const byTestId = (id: string) => page.getByTestId(id);
const text = async (id: string) => ((await byTestId(id).textContent()) ?? "").trim();
const shot = (name: string, on = page) => screenshot(on, name);

async function newPage(): Promise<Page> {
  const opened = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  opened.on("pageerror", (error) => pageErrors.push(error.message));
  opened.on("request", (request) => {
    // The page signs in at the local Cognito (its own port); nothing may come from a CDN.
    const url = new URL(request.url());
    if (url.protocol !== "data:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) requestsElsewhere.push(request.url());
  });
  return opened;
}

/** The newest sign-up code the local mailbox holds for an address. */
async function mailedCode(to: string): Promise<string> {
  let code = "";
  await expect
    .poll(async () => {
      const { messages } = (await (await fetch(`${stack.url}/_local/mailbox?to=${encodeURIComponent(to)}`)).json()) as {
        messages: { code: string | null }[];
      };
      code = messages.findLast((m) => m.code)?.code ?? "";
      return code;
    }, WAIT)
    .toMatch(/^\d{6}$/);
  return code;
}

/** Waits for Swagger UI to render the document, then returns the operations it shows as "METHOD /path". */
async function renderedOperations(on: Page): Promise<string[]> {
  await expect.poll(() => on.locator("body[data-ready='true'] .opblock").count(), WAIT).toBeGreaterThan(0);
  return on.locator(".opblock").evaluateAll((blocks) =>
    blocks.map((block) => {
      const method = block.querySelector(".opblock-summary-method")?.textContent?.trim().toUpperCase();
      const route = block.querySelector(".opblock-summary-path")?.getAttribute("data-path");
      return `${method} ${route}`;
    }),
  );
}

/** Opens GET /users/me, presses "Try it out" and "Execute", and returns the status the UI shows. */
async function tryGetMe(on: Page): Promise<string> {
  const operation = on.locator("#operations-Profile-getMe");
  if (!(await operation.locator(".opblock-body").isVisible())) await operation.locator(".opblock-summary-control").click();
  const tryItOut = operation.locator("button.try-out__btn");
  if ((await tryItOut.textContent())?.trim() === "Try it out") await tryItOut.click();
  const status = operation.locator(".live-responses-table tbody tr.response .response-col_status");
  // A previous call's answer stays on the page: clear it, or it would be read as this call's.
  const clear = operation.locator("button.btn-clear");
  if (await clear.isVisible()) {
    await clear.click();
    await expect.poll(() => status.count(), WAIT).toBe(0);
  }
  await operation.locator("button.execute").click();
  await expect.poll(() => status.count(), WAIT).toBeGreaterThan(0);
  return ((await status.first().textContent()) ?? "").trim();
}

describe("the API docs at /docs", () => {
  beforeAll(async () => {
    stack = await openStack();
    browser = await launchChromium();
    page = await newPage();
  });

  screenshotFailures("failed-docs-", () => page);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("signs a user up and in on the web page, which links to the docs", async () => {
    await page.goto(stack.url);
    await expect.poll(() => text("session-status"), WAIT).toBe("Signed out");
    await byTestId("sign-up-email").fill(address);
    await byTestId("sign-up-password").fill(PASSWORD);
    await byTestId("sign-up-submit").click();
    await expect.poll(() => text("sign-up-message"), WAIT).toContain("confirmation code was sent");
    await byTestId("confirm-code").fill(await mailedCode(address));
    await byTestId("confirm-submit").click();
    await expect.poll(() => text("confirm-message"), WAIT).toContain("is confirmed");
    await byTestId("sign-in-email").fill(address);
    await byTestId("sign-in-password").fill(PASSWORD);
    await byTestId("sign-in-submit").click();
    await expect.poll(() => text("session-status"), WAIT).toBe(`Signed in as ${address}`);
    accessToken = await page.evaluate(() => JSON.parse(sessionStorage.getItem("user-service.tokens") ?? "{}").accessToken as string);
    expect(accessToken.split(".")).toHaveLength(3);

    expect(await byTestId("api-docs-link").getAttribute("href")).toBe("/docs");
    await byTestId("api-docs-link").click();
    await page.waitForURL(`${stack.url}/docs`);
  });

  it("renders every route of serverless.yml, and nothing else", async () => {
    const rendered = await renderedOperations(page);
    const routes = httpRoutesOf(readServerlessFunctions(process.cwd())).map((r) => `${r.method} ${r.resource}`);
    expect(rendered.length).toBe(new Set(rendered).size);
    expect([...rendered].sort()).toEqual([...routes].sort());
    // "Try it out" goes to the origin serving the page: the local gateway.
    expect(await page.locator(".servers select").inputValue()).toBe(stack.url);
    expect(await text("docs-auth")).toMatch(/^Authorized with the access token/);
    await shot("docs-01-operations");
  });

  it("answers GET /users/me with 200 through \"Try it out\", authorized with the signed-in user's token", async () => {
    expect(await tryGetMe(page)).toBe("200");
    const body = (await page.locator("#operations-Profile-getMe .live-responses-table tr.response .response-col_description pre").first().textContent()) ?? "";
    expect(body).toContain(address);
    const curl = (await page.locator("#operations-Profile-getMe .curl-command").textContent()) ?? "";
    expect(curl).toContain(`${stack.url}/users/me`);
    expect(curl).toContain(`Authorization: Bearer ${accessToken}`);
    await page.locator("#operations-Profile-getMe .live-responses-table").scrollIntoViewIfNeeded();
    await shot("docs-02-try-get-me-200");
  });

  it("without a signed-in user answers 401, then 200 once a pasted token is authorized", async () => {
    const fresh = await newPage();
    try {
      // A new tab has its own sessionStorage: no token from the web page.
      await fresh.goto(`${stack.url}/docs`);
      await renderedOperations(fresh);
      expect(((await fresh.getByTestId("docs-auth").textContent()) ?? "").trim()).toMatch(/^Not signed in/);
      expect(await tryGetMe(fresh)).toBe("401");

      await fresh.locator(".auth-wrapper button.authorize").click();
      const dialog = fresh.locator(".dialog-ux");
      await dialog.locator("input").first().fill(accessToken);
      await dialog.locator("button.authorize").click();
      await dialog.locator("button.btn-done").click();
      expect(await tryGetMe(fresh)).toBe("200");
      await shot("docs-03-pasted-token-200", fresh);
    } finally {
      await fresh.close();
    }
  });

  it("loaded nothing from outside this machine (no CDN), with no page errors", () => {
    expect(requestsElsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
