import { type Browser, type BrowserContext, chromium } from "playwright-core";

/**
 * A real headless Chromium (Debian's, installed by `.ci/run`) driven by playwright-core. The
 * background-networking flags matter here: without them Chromium keeps dialling Google's hosts,
 * which this machine's closed network refuses. Playwright gives each launch a fresh temporary
 * profile of its own.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (cookies, storage) with clipboard access and a pt-BR phone-sized viewport. */
  newContext(options?: { mobile?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    newContext: ({ mobile = false } = {}) =>
      browser.newContext({
        locale: "pt-BR",
        timezoneId: "America/Sao_Paulo",
        acceptDownloads: true,
        permissions: ["clipboard-read", "clipboard-write"],
        ...(mobile ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {}),
      }),
    close: () => browser.close(),
  };
}
