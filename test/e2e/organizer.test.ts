/// <reference lib="dom" />
// An organizer in a real browser: from the CLI's sign-in link to publishing, moderating,
// curating notables, exporting and signing out.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { linkIn } from '../helpers/smtp-sink.js';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const dir = `/tmp/undersigned-e2e-organizer-${process.pid}`;
const dbUrl = `file:${dir}/e2e.db`;
const PASSWORD = 'four random words here';

const e2e = e2eSession({ DATABASE_URL: dbUrl, SEED_DEMO: 'false' });

async function expectAccessible(page: Page, name: string) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Saves the page at both viewports (then returns to the desktop size). */
async function shootBoth(page: Page, name: string) {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

async function signAndConfirm(slug: string, name: string, email: string) {
  const res = await fetch(`${e2e.server.url}/api/v1/letters/${slug}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email, title: 'Painter' }),
  });
  expect(res.status).toBe(202);
  const mail = await e2e.smtp.waitFor(email, /Confirm your signature/);
  const confirm = await fetch(`${e2e.server.url}${linkIn(mail, 'verify')}`, { method: 'POST' });
  expect(confirm.status).toBe(200);
}

async function apiCount(slug: string): Promise<number> {
  const body = (await (await fetch(`${e2e.server.url}/api/v1/letters/${slug}/count`)).json()) as { signature_count: number };
  return body.signature_count;
}

describe.skipIf(!run)('organizing in a browser', () => {
  it('runs a letter from draft to export', async () => {
    const created = await runCli(
      [
        'create-organizer',
        '--email',
        'organizer@e2e.example',
        '--name',
        'Olu Organizer',
        '--collective',
        'e2e-collective',
        '--role',
        'owner',
      ],
      { DATABASE_URL: dbUrl, PUBLIC_URL: e2e.server.url },
    );
    expect(created.code, created.stderr).toBe(0);
    const signin = /https?:\/\/\S+\/signin\/[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
    expect(signin).toBeDefined();

    const context = await e2e.browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });

    // The one-time link sets a password and signs in.
    await page.goto(signin!);
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('New password again').fill(PASSWORD);
    await page.getByRole('button', { name: /password/i }).click();
    await page.getByRole('heading', { name: 'Your letters' }).waitFor();

    // Sign out, then in again with the password.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${e2e.server.url}/login`);
    await shootBoth(page, 'login');
    await expectAccessible(page, 'login');
    await page.getByLabel('Email address').fill('organizer@e2e.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your letters' }).waitFor();
    await shootBoth(page, 'dashboard');

    // Write a letter, preview the text, create the draft.
    await page.goto(`${e2e.server.url}/organize/letters/new`);
    await page.getByLabel('Title', { exact: true }).fill('Pay the testers');
    await page.getByLabel('Address', { exact: true }).fill('pay-the-testers');
    await page.getByLabel('Summary', { exact: true }).fill('Artists ask to be paid for testing work.');
    const text = 'We ask to be **paid**.\n\n[A bad link](javascript:alert(1)) and [a good one](https://example.org).';
    // First with an undescribed image and some HTML: the preview says what will not show, and why.
    await page.getByLabel('Text', { exact: true }).fill(`${text}\n\n![](https://img.example/crowd.jpg)\n\n<div>boxed</div>`);
    await page.getByRole('button', { name: 'Preview the text' }).click();
    await page.locator('.preview').getByText('paid').waitFor();
    const warnings = page.getByRole('region', { name: 'Not shown as written' });
    await warnings.getByText('has no description').waitFor();
    await warnings.getByText('Raw HTML is not allowed: ‘<div>’ will appear as text.').waitFor();
    await shootBoth(page, 'letter-editor-warnings');
    await expectAccessible(page, 'letter-editor-warnings');
    await page.getByLabel('Text', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Preview the text' }).click();
    await page.locator('.preview').getByText('paid').waitFor();
    expect(await page.getByRole('region', { name: 'Not shown as written' }).count()).toBe(0);
    await shootBoth(page, 'letter-editor');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { name: 'Pay the testers' }).waitFor();
    expect((await fetch(`${e2e.server.url}/letters/pay-the-testers`)).status).toBe(404);

    await page.getByRole('link', { name: 'Preview the page' }).click();
    await page.getByText('Only members of').waitFor();
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.goBack();

    // Publishing is asked first, saying what follows; nothing changes until it is confirmed.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { name: 'Publish ‘Pay the testers’?' }).waitFor();
    await page.getByText('Once published it cannot become a draft again.').waitFor();
    expect((await fetch(`${e2e.server.url}/letters/pay-the-testers`)).status).toBe(404);
    await shootBoth(page, 'confirm-publish');
    await expectAccessible(page, 'confirm-publish');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('heading', { name: 'Status: published' }).waitFor();

    // Published, its address shows as fixed in the editor: no field to type in.
    await page.getByRole('link', { name: 'Edit' }).click();
    const address = page.getByRole('group', { name: /Address/ });
    await address.getByRole('link', { name: '/letters/pay-the-testers' }).waitFor();
    expect(await page.getByLabel('Address', { exact: true }).count()).toBe(0);
    await shootBoth(page, 'letter-editor-published');
    await expectAccessible(page, 'letter-editor-published');

    // Milestones can still be set: a list out of order is refused beside the field, with what was typed kept.
    const milestones = page.getByLabel('Milestones', { exact: true });
    await milestones.fill('1000: We deliver the letter\n100');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Line 2: 100 comes after 1,000: list milestones from smallest to largest.').first().waitFor();
    expect(await milestones.inputValue()).toBe('1000: We deliver the letter\n100');
    await expectAccessible(page, 'letter-editor-milestone-error');
    await milestones.fill('100\n1000: We deliver the letter');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const withMilestones = await (await fetch(`${e2e.server.url}/letters/pay-the-testers`)).text();
    expect(withMilestones).toContain('Next milestone: <strong>100 signatures</strong>');
    await page.getByRole('link', { name: 'Edit' }).click();
    await address.getByRole('link', { name: '/letters/pay-the-testers' }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Status: published' }).waitFor();
    expect((await fetch(`${e2e.server.url}/letters/pay-the-testers`)).status).toBe(200);

    // The same name from three addresses: the first counts, the others wait for review.
    await signAndConfirm('pay-the-testers', 'Sam Taylor', 'sam1@e2e.example');
    await signAndConfirm('pay-the-testers', 'Taylor, Sam', 'sam2@e2e.example');
    await signAndConfirm('pay-the-testers', 'SAM TAYLOR', 'sam3@e2e.example');
    expect(await apiCount('pay-the-testers')).toBe(1);

    await page.getByRole('link', { name: 'Moderation' }).click();
    await page.getByRole('heading', { name: 'Held for review' }).waitFor();
    const moderationPath = new URL(page.url()).pathname;
    await shootBoth(page, 'moderation');
    await expectAccessible(page, 'moderation');
    expect(await page.getByRole('button', { name: /^Approve Taylor, Sam$/ }).count()).toBe(1);
    await page.getByRole('button', { name: /^Approve Taylor, Sam$/ }).click();
    await page.locator('button[name="one"][value^="reject:"]').filter({ hasText: 'SAM TAYLOR' }).click();
    await expect.poll(() => apiCount('pay-the-testers')).toBe(2);

    // Promote a signer, add a name by hand, and put the hand-added one first.
    await page.getByRole('link', { name: 'Notable signatories' }).click();
    await page.getByLabel('Find a signer by name').fill('Sam');
    await page.getByRole('button', { name: 'Search' }).click();
    const description = page.getByLabel(/^Description/).first();
    await description.fill('painter');
    await page.getByRole('button', { name: 'Promote' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Famous Person');
    await page
      .getByLabel(/^Description/)
      .last()
      .fill('actor');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByRole('button', { name: /Up\s*:\s*Famous Person/ }).click();
    await shootBoth(page, 'notables');
    const publicPage = await (await fetch(`${e2e.server.url}/letters/pay-the-testers`)).text();
    expect(publicPage.indexOf('Famous Person')).toBeGreaterThan(0);
    expect(publicPage.indexOf('Famous Person')).toBeLessThan(publicPage.indexOf('painter'));
    const api = (await (await fetch(`${e2e.server.url}/api/v1/letters/pay-the-testers`)).json()) as {
      notable_signatories: Array<{ name: string; verified: boolean }>;
    };
    expect(api.notable_signatories.map((n: { name: string; verified: boolean }) => [n.name, n.verified])).toEqual([
      ['Famous Person', false],
      [expect.stringMatching(/Sam Taylor|Taylor, Sam/), true],
    ]);

    // Export the signatures as CSV.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByLabel('Which signatures').selectOption('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    for (const email of ['sam1@e2e.example', 'sam2@e2e.example', 'sam3@e2e.example']) expect(csv).toContain(email);

    // Their account page, where the mail about held signatures is turned off or on.
    await page.getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('heading', { name: 'Mail about held signatures' }).waitFor();
    const digest = page.getByRole('checkbox');
    expect(await digest.isChecked()).toBe(true);
    await shootBoth(page, 'account');
    await expectAccessible(page, 'account');
    await digest.uncheck();
    await page.getByRole('button', { name: 'Save mail settings' }).click();
    await page.getByText('Mail settings saved.').waitFor();
    expect(await page.getByRole('checkbox').isChecked()).toBe(false);

    // Their organizer pages in Arabic, chosen on the same page: right to left, accessible at both widths.
    await page.locator('select[name="language"]').selectOption('ar');
    await page.getByRole('button', { name: 'Save language' }).click();
    await page.getByText('حُفظت اللغة').waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    for (const [path, name] of [
      ['/organize/account', 'account-ar'],
      ['/organize', 'dashboard-ar'],
      [moderationPath, 'moderation-ar'],
    ] as const) {
      await page.goto(`${e2e.server.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await expectAccessible(page, name);
      await page.setViewportSize(PHONE);
      await expectAccessible(page, `${name}-phone`);
      // Nothing wider than the phone: a mirrored layout that overflows would scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), name).toBeLessThanOrEqual(0);
      await screenshot(page, `${name}-phone`);
      await page.setViewportSize(DESKTOP);
    }
    await page.goto(`${e2e.server.url}/organize/account`);
    await page.locator('select[name="language"]').selectOption('en');
    await page.getByRole('button', { name: 'حفظ اللغة' }).click();
    await page.getByText('Language saved').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${e2e.server.url}/organize`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(dialogs).toEqual([]);
    await context.close();
  }, 120_000);
});
