import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { beforeEach } from "vitest";

/** How long a browser test polls the page for what it expects. */
export const WAIT = { timeout: 20_000, interval: 250 };

const SCREENSHOTS = path.resolve("test-results/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless (never a downloaded browser); fails at once, with the fix, when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
}

/** The whole page as test-results/screenshots/<name>.png. */
export const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Every failed test of the file leaves a screenshot named `<prefix><test name>`. */
export function screenshotFailures(prefix: string, page: () => Page | undefined): void {
  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      const open = page();
      if (open) await screenshot(open, `${prefix}${task.name.replace(/\W+/g, "-").slice(0, 60)}`).catch(() => undefined);
    });
  });
}
