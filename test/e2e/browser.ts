/// <reference lib="dom" />
// Chromium from Debian, driven by playwright-core. Never downloads a browser.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type ChildServer, startServer } from '../helpers/server.js';
import { SmtpSink } from '../helpers/smtp-sink.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots', import.meta.url));

/** True when the e2e suite can run. In CI a missing browser is a failure, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `e2e: Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`;
  if (process.env.CI) throw new Error(message);
  process.stdout.write(`${message} (skipping the browser suite)\n`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
    // playwright gives every launch a fresh, empty temporary profile (--user-data-dir).
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** Runs axe-core in the page; returns serious and critical violations. */
export async function axeViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>> {
  const { readFileSync } = await import('node:fs');
  // Evaluated through DevTools, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  const results = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<unknown> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  })) as { violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

export interface E2eSession {
  smtp: SmtpSink;
  server: ChildServer;
  browser: Browser;
}

/**
 * For a test file: before its tests, an SMTP sink, the app as a child process (with `env`, mail
 * to the sink, rate limits off) and Chromium; after them, all three stopped. Nothing starts when
 * Chromium is missing (the file's tests are skipped).
 */
export function e2eSession(env: Record<string, string>): E2eSession {
  const session = {} as E2eSession;
  beforeAll(async () => {
    if (!chromiumAvailable()) return;
    session.smtp = await new SmtpSink().start();
    session.server = await startServer({ SMTP_URL: session.smtp.url, OUTBOX_POLL_MS: '50', RATE_LIMIT: 'off', ...env });
    session.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await session.browser?.close();
    session.server?.kill('SIGTERM');
    await session.server?.exited;
    await session.smtp?.stop();
  });
  return session;
}
