// Moderation through HTTP: the held queue beside what each signature matched, decisions on one
// or many, counters that stay equal to a recount, the search list, and the audit trail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { letterCount, makeTestApp, recount, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

let smtp: SmtpSink;
let t: TestApp;
let mod: Browser;
let letterId: number;
const base = () => `/organize/letters/${letterId}`;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url });
  letterId = (await seedLetter(t.app, { notable: [{ name: 'Kevin Bacon', description: 'actor' }] })).id;
  mod = (await signedInOrganizer(t, { email: 'mo@example.org', name: 'Mo', collective: 'artists-united', role: 'moderator' })).browser;
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

const sql = <T = Record<string, unknown>>(query: string, ...params: unknown[]) => t.sql<T>(query, ...params);
const status = async (id: number) =>
  (await t.sql<{ status: string; hidden: number }>('SELECT status, hidden FROM signatures WHERE id = ?', id))[0];

async function signAndConfirm(name: string, email: string) {
  expect((await signViaApi(t, 'fair-pay', { name, email })).statusCode).toBe(202);
  const mail = await smtp.waitFor(email, /Confirm/);
  expect((await t.app.inject({ method: 'POST', url: linkIn(mail, 'verify') })).statusCode).toBe(200);
  return (await sql<{ id: number; status: string }>('SELECT id, status FROM signatures WHERE email = ?', email))[0]!;
}

/** The counter, recounted from rows: they must always agree. */
async function expectCount(n: number) {
  expect(await letterCount(t, 'fair-pay')).toBe(n);
  expect(await recount(t, 'fair-pay')).toBe(n);
}

describe('the held queue', () => {
  it('shows each held signature beside what it matched, and approves or rejects with exact counts', async () => {
    const jane = await signAndConfirm('Jane Doe', 'jane@example.org');
    const twin = await signAndConfirm('Jane Doe', 'jane.doe@work.example');
    const kevin = await signAndConfirm('Kevin Bacon', 'kevin@example.org');
    expect([jane.status, twin.status, kevin.status]).toEqual(['verified', 'held', 'held']);
    await expectCount(1);

    const page = await mod.get(`${base()}/moderation`);
    expect(page.statusCode).toBe(200);
    const twinCard = page.body.slice(page.body.indexOf(`id="sel-${twin.id}"`), page.body.indexOf(`approve:${twin.id}`));
    expect(twinCard).toContain('Same name as another signature');
    expect(twinCard).toContain('jane.doe@work.example');
    expect(twinCard).toContain('jane@example.org'); // what it matched, with its address
    const kevinCard = page.body.slice(page.body.indexOf(`id="sel-${kevin.id}"`), page.body.indexOf(`approve:${kevin.id}`));
    expect(kevinCard).toContain('Uses the name of a notable signatory');
    expect(kevinCard).toContain('actor');
    expect(kevinCard).toContain('added by the organizers');

    const filtered = await mod.get(`${base()}/moderation?reason=notable`);
    expect(filtered.body).toContain(`sel-${kevin.id}`);
    expect(filtered.body).not.toContain(`sel-${twin.id}"`);

    const approved = await mod.post(`${base()}/moderation`, { one: `approve:${twin.id}`, return_to: `${base()}/moderation` });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`${base()}/moderation?notice=moderated&n=1&action=approve`);
    expect((await mod.get(approved.headers.location as string)).body).toContain('Approved 1 signature.');
    expect((await status(twin.id))?.status).toBe('verified');
    await expectCount(2);

    const rejected = await mod.post(`${base()}/moderation`, {
      one: `reject:${kevin.id}`,
      return_to: `${base()}/moderation?reason=notable`,
    });
    expect(rejected.headers.location).toBe(`${base()}/moderation?reason=notable&notice=moderated&n=1&action=reject`);
    expect((await status(kevin.id))?.status).toBe('rejected');
    await expectCount(2);

    // Rejecting a counted signature takes it out of the count, in the same transaction.
    await mod.post(`${base()}/moderation`, { one: `reject:${twin.id}` });
    await expectCount(1);
    // Repeating a decision changes nothing and says so.
    const again = await mod.post(`${base()}/moderation`, { one: `reject:${twin.id}` });
    expect(again.headers.location).toContain('notice=nothing_changed');
    await expectCount(1);

    const audit = await sql<{ action: string; target_id: number; before: string; after: string; organizer_id: number }>(
      "SELECT action, target_id, before, after, organizer_id FROM audit_log WHERE action LIKE 'signature.%' ORDER BY id",
    );
    expect(audit.map((a) => [a.action, a.target_id, JSON.parse(a.before).status, JSON.parse(a.after).status])).toEqual([
      ['signature.approve', twin.id, 'held', 'verified'],
      ['signature.reject', kevin.id, 'held', 'rejected'],
      ['signature.reject', twin.id, 'verified', 'rejected'],
    ]);
    const events = await sql<{ type: string; organizer_id: number | null }>(
      "SELECT type, organizer_id FROM signature_events WHERE type IN ('approved', 'rejected') ORDER BY id",
    );
    expect(events.every((e) => e.organizer_id === audit[0]!.organizer_id)).toBe(true);
  });

  it('shows a long queue a page at a time, with every reason counted', async () => {
    // A surge held hundreds at once (written directly: the queue is what is under test).
    for (let i = 0; i < 230; i++) {
      const reason = i < 210 ? 'spike' : 'name_duplicate';
      await t.sql(
        `INSERT INTO signatures (letter_id, name, name_key, name_head, name_tail, name_len, email, email_key, status, hold_reason)
         VALUES (?, ?, ?, 'surg', 'ignr', 10, ?, ?, 'held', ?)`,
        letterId,
        `Surge Signer ${i}`,
        `signer surge ${i}`,
        `s${i}@example.org`,
        `s${i}@example.org`,
        reason,
      );
    }
    const all = await mod.get(`${base()}/moderation`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Showing the oldest 200 of 230');
    expect(all.body).toContain('Surge Signer 0<');
    expect(all.body).toContain('Surge Signer 199<');
    expect(all.body).not.toContain('Surge Signer 200<');
    const duplicates = await mod.get(`${base()}/moderation?reason=name_duplicate`);
    expect(duplicates.body).toContain('Surge Signer 210<');
    expect(duplicates.body).not.toContain('Surge Signer 0<');
    expect(duplicates.body).not.toContain('Showing the oldest');
    for (const [label, n] of [
      ['All held', 230],
      ['Surge', 210],
      ['Same name', 20],
    ] as const) {
      expect(all.body).toMatch(new RegExp(`${label}[^<]*<[^>]*>\\s*${n}\\b`));
    }
  });

  it('applies a bulk decision to a filtered, ticked selection, all at once', async () => {
    await signAndConfirm('Sam Lee', 'sam1@example.org');
    const held = [];
    for (let i = 2; i <= 4; i++) held.push((await signAndConfirm('Sam Lee', `sam${i}@example.org`)).id);
    await expectCount(1);

    const page = await mod.get(`${base()}/moderation?reason=name_duplicate&select=all`);
    for (const id of held) expect(page.body).toMatch(new RegExp(`id="sel-${id}" checked`));
    const bulk = await mod.post(`${base()}/moderation`, {
      action: 'approve',
      ids: held.slice(0, 2).map(String),
      return_to: `${base()}/moderation?reason=name_duplicate&select=all`,
    });
    expect(bulk.headers.location).toBe(`${base()}/moderation?reason=name_duplicate&notice=moderated&n=2&action=approve`);
    await expectCount(3);
    expect((await status(held[2]!))?.status).toBe('held');

    // Nothing ticked: back to the page with a warning, nothing changed.
    const none = await mod.post(`${base()}/moderation`, { action: 'approve', return_to: `${base()}/moderation` });
    expect(none.headers.location).toBe(`${base()}/moderation?notice=nothing_selected`);
    expect((await mod.get(none.headers.location as string)).body).toContain('Select at least one signature');

    // A selection that strays outside the letter is refused as a whole.
    const other = await seedLetter(t.app, { slug: 'other-letter' });
    expect(other.id).not.toBe(letterId);
    const stray = await mod.post(`${base()}/moderation`, { action: 'fraudulent', ids: [String(held[2]), '999999'] });
    expect(stray.statusCode).toBe(404);
    expect((await status(held[2]!))?.status).toBe('held');
    await expectCount(3);

    // A return address outside this letter is ignored.
    const offsite = await mod.post(`${base()}/moderation`, { one: `reject:${held[2]}`, return_to: 'https://evil.example/' });
    expect(offsite.headers.location).toBe(`${base()}/moderation?notice=moderated&n=1&action=reject`);
  });

  it('hides from the public list while counting, and removes fraud from the count', async () => {
    const a = await signAndConfirm('Alex Morgan', 'alex@example.org');
    const b = await signAndConfirm('Bea Quinn', 'bea@example.org');
    await expectCount(2);
    await mod.get(`${base()}/signatures`);
    await mod.post(`${base()}/moderation`, { one: `hide:${a.id}`, return_to: `${base()}/signatures` });
    expect(await status(a.id)).toEqual({ status: 'verified', hidden: 1 });
    await expectCount(2);
    const publicPage = await t.app.inject({ method: 'GET', url: '/letters/fair-pay' });
    expect(publicPage.body).not.toContain('Alex Morgan');
    expect(publicPage.body).toContain('Bea Quinn');

    await mod.post(`${base()}/moderation`, { one: `fraudulent:${b.id}` });
    expect((await status(b.id))?.status).toBe('fraudulent');
    await expectCount(1);
    await mod.post(`${base()}/moderation`, { one: `unhide:${a.id}` });
    expect((await t.app.inject({ method: 'GET', url: '/letters/fair-pay' })).body).toContain('Alex Morgan');
    expect(
      (await sql<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'signature.%' ORDER BY id")).map((r) => r.action),
    ).toEqual(['signature.hide', 'signature.fraudulent', 'signature.unhide']);
  });

  it('flags possible duplicates for review', async () => {
    await signAndConfirm('Margaret Atwood', 'ma@example.org');
    const near = await signAndConfirm('Margret Atwood', 'm2@example.org');
    const page = await mod.get(`${base()}/moderation`);
    const flagged = page.body.slice(page.body.indexOf('id="flagged-title"'));
    expect(flagged).toContain('Margret Atwood');
    expect(flagged).toContain('Margaret Atwood');
    await mod.post(`${base()}/moderation`, { one: `reject:${near.id}` });
    await expectCount(1);
  });
});

describe('the signature list', () => {
  it('searches by name or email and filters by status, emails shown to moderators only', async () => {
    await signAndConfirm('Ada Lindqvist', 'ada@example.org');
    await signAndConfirm('Bruno Carvalho', 'bruno@studio.example');
    expect((await signViaApi(t, 'fair-pay', { name: 'Pending Person', email: 'pending@example.org' })).statusCode).toBe(202);

    const byName = await mod.get(`${base()}/signatures?q=lindq`);
    expect(byName.body).toContain('Ada Lindqvist');
    expect(byName.body).toContain('ada@example.org');
    expect(byName.body).not.toContain('Bruno Carvalho');
    const byEmail = await mod.get(`${base()}/signatures?q=%40studio.example`);
    expect(byEmail.body).toContain('Bruno Carvalho');
    expect(byEmail.body).not.toContain('Ada Lindqvist');
    const pending = await mod.get(`${base()}/signatures?status=pending`);
    expect(pending.body).toContain('Pending Person');
    expect(pending.body).not.toContain('Ada Lindqvist');
    // Odd queries are not errors.
    expect((await mod.get(`${base()}/signatures?status=bogus&q=%25_&before=-1`)).statusCode).toBe(200);
  });

  it('finds names whatever their case and accents, by every word typed in any order', async () => {
    await signAndConfirm('Amélie Dupont', 'amelie@example.org');
    await signAndConfirm('Łukasz Żółć', 'lukasz@example.org');
    await signAndConfirm('Ada Lindqvist', 'ada@example.org');
    const names = async (q: string) => {
      const body = (await mod.get(`${base()}/signatures?q=${encodeURIComponent(q)}`)).body;
      return ['Amélie Dupont', 'Łukasz Żółć', 'Ada Lindqvist'].filter((name) => body.includes(name));
    };
    expect(await names('amelie')).toEqual(['Amélie Dupont']);
    expect(await names('AMÉLIE')).toEqual(['Amélie Dupont']);
    expect(await names('dupont ame')).toEqual(['Amélie Dupont']);
    expect(await names('lukasz zolc')).toEqual(['Łukasz Żółć']);
    expect(await names('ada zolc')).toEqual([]);
    expect(await names('a')).toEqual(['Amélie Dupont', 'Łukasz Żółć', 'Ada Lindqvist']);
    // Nothing left to look for once folded: nothing found, never everything.
    expect(await names('!!!')).toEqual([]);
  });

  it('is closed to editors, who cannot moderate', async () => {
    const s = await signAndConfirm('Ada Lindqvist', 'ada@example.org');
    const { browser } = await signedInOrganizer(t, { email: 'ed@example.org', collective: 'artists-united', role: 'editor' });
    expect((await browser.get(`${base()}/moderation`)).statusCode).toBe(403);
    expect((await browser.get(`${base()}/signatures`)).statusCode).toBe(403);
    expect((await browser.post(`${base()}/moderation`, { one: `fraudulent:${s.id}` })).statusCode).toBe(403);
    expect((await status(s.id))?.status).toBe('verified');
  });

  it('refuses a decision without the CSRF token, changing nothing', async () => {
    const s = await signAndConfirm('Ada Lindqvist', 'ada@example.org');
    await mod.get(`${base()}/moderation`);
    expect((await mod.post(`${base()}/moderation`, { one: `fraudulent:${s.id}`, _csrf: '' })).statusCode).toBe(403);
    expect((await mod.post(`${base()}/moderation`, { one: `fraudulent:${s.id}`, _csrf: `${mod.csrf}x` })).statusCode).toBe(403);
    expect((await status(s.id))?.status).toBe('verified');
    await expectCount(1);
  });
});
