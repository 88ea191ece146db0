/// <reference lib="dom" />
// An organizer sends an update from a phone (390 px): compose, preview, review with the exact
// number of recipients, send; the signer's mail leads to a one-click unsubscribe page. Every
// page is checked with axe and must not scroll sideways.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { linkIn } from '../helpers/smtp-sink.js';
import { axeViolations, chromiumAvailable, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const dir = `/tmp/undersigned-e2e-updates-${process.pid}`;
const dbUrl = `file:${dir}/e2e.db`;
const PASSWORD = 'four random words here';

const e2e = e2eSession({ DATABASE_URL: dbUrl, SEED_DEMO: 'false', UPDATES_PER_SECOND: '100' });

async function check(page: Page, name: string) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${name} scrolls sideways`).toBeLessThanOrEqual(PHONE.width);
  await screenshot(page, `${name}-phone`);
}

async function signAndConfirm(slug: string, name: string, email: string, updates: boolean) {
  const res = await fetch(`${e2e.server.url}/api/v1/letters/${slug}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email, updates }),
  });
  expect(res.status).toBe(202);
  const mail = await e2e.smtp.waitFor(email, /Confirm your signature/);
  expect((await fetch(`${e2e.server.url}${linkIn(mail, 'verify')}`, { method: 'POST' })).status).toBe(200);
}

describe.skipIf(!run)('updates in a browser', () => {
  it('are written, reviewed and sent from a phone, and left in one click', async () => {
    const env = { DATABASE_URL: dbUrl, PUBLIC_URL: e2e.server.url };
    const file = `${dir}/letter.md`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '---\nslug: fair-pay\ntitle: Fair pay\ncollective: e2e-collective\nstatus: published\n---\n\nPay artists.\n');
    expect((await runCli(['import-letter', file], env)).code).toBe(0);
    const created = await runCli(
      ['create-organizer', '--email', 'owner@e2e.example', '--name', 'Olu Owner', '--collective', 'e2e-collective'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const signin = /https?:\/\/\S+\/signin\/[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
    expect(signin).toBeDefined();
    await signAndConfirm('fair-pay', 'Ada Lovelace', 'ada@e2e.example', true);
    await signAndConfirm('fair-pay', 'Grace Hopper', 'grace@e2e.example', true);
    await signAndConfirm('fair-pay', 'Alan Turing', 'alan@e2e.example', false);

    const context = await e2e.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(signin!);
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('New password again').fill(PASSWORD);
    await page.getByRole('button', { name: /password/i }).click();
    await page.getByRole('heading', { name: 'Your letters' }).waitFor();

    await page.getByRole('link', { name: 'Fair pay' }).first().click();
    await page.getByRole('link', { name: 'Updates' }).click();
    await page.getByText('2 people would receive an update sent now').waitFor();
    await page.getByLabel('Subject', { exact: true }).fill('We delivered the letter');
    await page.getByLabel('Text', { exact: true }).fill('We handed it over **today**.\n\n- Next: the meeting\n- Then: the answer');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.preview').getByText('today').waitFor();
    await check(page, 'update-compose');

    await page.getByRole('button', { name: 'Review and send…' }).click();
    await page.getByRole('heading', { name: 'Send this update?' }).waitFor();
    await check(page, 'update-review');
    await page.getByRole('button', { name: 'Send to 2 people' }).click();
    await page.getByText('Sending.').waitFor();
    await expect.poll(() => e2e.smtp.messages.filter((m) => m.subject === 'We delivered the letter').length, { timeout: 15_000 }).toBe(2);
    await page.reload();
    await page.getByText(/Sent to 2 of 2 recipients/).waitFor({ timeout: 5_000 });
    await check(page, 'update-progress');
    expect(e2e.smtp.for('alan@e2e.example').filter((m) => m.subject === 'We delivered the letter')).toEqual([]);

    // The signer's side: the update on the letter's page, and the link in the mail.
    await page.goto(`${e2e.server.url}/letters/fair-pay`);
    await page.getByRole('heading', { name: 'We delivered the letter' }).waitFor();
    const mail = e2e.smtp.for('ada@e2e.example').find((m) => m.subject === 'We delivered the letter');
    const unsubscribe = /https?:\/\/\S+\/unsubscribe\/[\w.-]+/.exec(mail?.text ?? '')?.[0];
    expect(unsubscribe).toBeDefined();
    await page.goto(unsubscribe!);
    await check(page, 'unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe from these updates' }).click();
    await page.getByRole('heading', { name: 'You will receive no more updates about this letter' }).waitFor();
    await check(page, 'unsubscribed');
    await context.close();
  }, 120_000);
});
