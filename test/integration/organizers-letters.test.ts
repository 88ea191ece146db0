// The letter editor, the status lifecycle, versions, roles across collectives and the notable
// signatories, through HTTP as an organizer's browser would use them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nameKey } from '../../src/domain/name-key.js';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

let smtp: SmtpSink;
let t: TestApp;
let editor: Browser;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url });
  await seedLetter(t.app);
  editor = (await signedInOrganizer(t, { email: 'ed@example.org', name: 'Ed', collective: 'artists-united', role: 'editor' })).browser;
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

const sql = <T = Record<string, unknown>>(query: string, ...params: unknown[]) => t.sql<T>(query, ...params);
const letterRow = async (slug: string) => (await t.sql<Record<string, unknown>>('SELECT * FROM letters WHERE slug = ?', slug))[0];
const auditActions = async (letterId: number) =>
  (await t.sql<{ action: string }>('SELECT action FROM audit_log WHERE letter_id = ? ORDER BY id', letterId)).map((r) => r.action);

const NEW_LETTER = {
  collective: '1',
  title: 'Credit the colourists',
  slug: '',
  summary: 'Colourists ask for credit.',
  addressee: 'Comic publishers',
  body: 'We ask for **credit** on every cover.',
  goal: '500',
  closes_at: '',
  duplicate_names: 'hold',
};

async function createDraft(fields: Record<string, string> = {}): Promise<number> {
  await editor.get('/organize/letters/new');
  const res = await editor.post('/organize/letters/new', { ...NEW_LETTER, ...fields });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
  return Number(/\/organize\/letters\/(\d+)/.exec(res.headers.location as string)?.[1]);
}

async function signAndConfirm(name: string, email: string, slug: string) {
  expect((await signViaApi(t, slug, { name, email })).statusCode).toBe(202);
  const mail = await smtp.waitFor(email, /Confirm/);
  expect((await t.app.inject({ method: 'POST', url: linkIn(mail, 'verify') })).statusCode).toBe(200);
  return (
    await sql<{ id: number; letter_version: number; status: string }>(
      'SELECT id, letter_version, status FROM signatures WHERE email = ?',
      email,
    )
  )[0]!;
}

describe('creating and editing', () => {
  it('creates a draft, with the address made from the title, and audits it', async () => {
    const id = await createDraft();
    const row = (await letterRow('credit-the-colourists'))!;
    expect(row).toMatchObject({
      id,
      status: 'draft',
      title: 'Credit the colourists',
      goal: 500,
      addressee: 'Comic publishers',
      version: 1,
    });
    expect(await auditActions(id)).toEqual(['letter.create']);
    const overview = await editor.get(`/organize/letters/${id}?notice=created`);
    expect(overview.body).toContain('Letter created as a draft');
    // The public does not see drafts.
    expect((await t.app.inject({ method: 'GET', url: '/letters/credit-the-colourists' })).statusCode).toBe(404);
  });

  it('re-renders the form with a message per field and the input kept', async () => {
    await editor.get('/organize/letters/new');
    const res = await editor.post('/organize/letters/new', {
      ...NEW_LETTER,
      title: 'Keep <this> title',
      slug: 'Not A Slug!',
      body: '',
      goal: 'many',
      closes_at: '31/12/2026',
      duplicate_names: 'sometimes',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('value="Keep &lt;this&gt; title"');
    expect(res.body).toContain('value="Not A Slug!"');
    for (const message of [
      'Use only lower-case letters, digits and single hyphens',
      'Please write the text of the letter.',
      'The goal must be a whole number',
      'Enter a date and time like 2026-12-31 23:59',
      'Choose whether to hold repeated names',
    ]) {
      expect(res.body).toContain(message);
    }
    expect(await sql('SELECT id FROM letters')).toHaveLength(1);
  });

  it('refuses an address already in use with a clear message', async () => {
    await editor.get('/organize/letters/new');
    const res = await editor.post('/organize/letters/new', { ...NEW_LETTER, slug: 'fair-pay' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Another letter already uses this address. Choose a different one.');
    expect(res.body).toContain('We ask for **credit** on every cover.');
  });

  it('refuses a closing date in the past', async () => {
    await editor.get('/organize/letters/new');
    const res = await editor.post('/organize/letters/new', { ...NEW_LETTER, closes_at: '2020-01-01T00:00' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The closing date must be in the future.');
  });

  it('previews the Markdown, sanitized, without saving', async () => {
    await editor.get('/organize/letters/new');
    const res = await editor.post('/organize/letters/new', {
      ...NEW_LETTER,
      body: '## Why\n\nWe ask for **credit**.<script>alert(1)</script> [x](javascript:alert(1))',
      intent: 'preview',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Preview, not saved yet');
    expect(res.body).toContain('<strong>credit</strong>');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).not.toContain('href="javascript:');
    expect(await sql('SELECT id FROM letters')).toHaveLength(1);
  });

  it('says in the preview what will not be shown, and why, and refuses an image without a description', async () => {
    await editor.get('/organize/letters/new');
    const body =
      'Look: ![](https://img.example/crowd.jpg) ![A banner](banner.png) ![The march](https://img.example/march.jpg)\n\n<div>boxed</div>';
    const res = await editor.post('/organize/letters/new', { ...NEW_LETTER, body, intent: 'preview' });
    expect(res.statusCode).toBe(200);
    const warnings = res.body.slice(res.body.indexOf('Not shown as written'), res.body.indexOf('Preview, not saved yet'));
    expect(warnings).toContain('The image ‘https://img.example/crowd.jpg’ has no description');
    expect(warnings).toContain('Fix this before saving.');
    expect(warnings).toContain('The image ‘banner.png’ will not be shown: only https images are allowed.');
    expect(warnings).toContain('Raw HTML is not allowed: ‘&lt;div&gt;’ will appear as text.');
    // The preview shows what the page will: the described https image, nothing else.
    const start = res.body.indexOf('Preview, not saved yet');
    const preview = res.body.slice(start, res.body.indexOf('</section>', start));
    expect(preview).toContain('<img src="https://img.example/march.jpg" alt="The march"');
    expect(preview).not.toContain('crowd.jpg');
    expect(preview).not.toContain('banner.png');
    // The editor's CSP lets the preview's https images load.
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data: https:");

    const saved = await editor.post('/organize/letters/new', { ...NEW_LETTER, body });
    expect(saved.statusCode).toBe(422);
    expect(saved.body).toContain('has no description: write one between the brackets');
    expect(await sql('SELECT id FROM letters')).toHaveLength(1);

    // Described, it saves; the http image is left out with a warning, never a refusal.
    const fixed = body.replace('![]', '![A crowd outside the theatre]');
    const created = await editor.post('/organize/letters/new', { ...NEW_LETTER, body: fixed });
    expect(created.statusCode).toBe(303);
    expect(await sql('SELECT id FROM letters')).toHaveLength(2);
    // Asked to publish, the organizer is told once more.
    const base = (created.headers.location as string).replace(/\?.*/, '');
    await editor.get(base);
    const asked = await editor.post(`${base}/status`, { to: 'published' });
    expect(asked.body).toContain('Not shown as written');
    expect(asked.body).toContain('The image ‘banner.png’ will not be shown: only https images are allowed.');
    expect(asked.body).not.toContain('crowd.jpg');
  });

  it('gives letter pages, and no other page, a CSP that lets https images load', async () => {
    await seedLetter(t.app, { slug: 'with-image', body: 'Look: ![A crowd outside](https://img.example/crowd.jpg)' });
    const letter = await t.app.inject('/letters/with-image');
    expect(letter.body).toContain(
      '<img src="https://img.example/crowd.jpg" alt="A crowd outside" loading="lazy" referrerpolicy="no-referrer"',
    );
    expect(letter.headers['content-security-policy']).toContain("img-src 'self' data: https:");
    expect((await t.app.inject('/letters/with-image/versions')).headers['content-security-policy']).toContain('https:');
    for (const url of ['/', '/api', '/login']) {
      expect((await t.app.inject(url)).headers['content-security-policy'], url).toContain("img-src 'self' data:;");
    }
  });

  it('never answers bad input with a 500', async () => {
    const id = await createDraft();
    const bodies: Array<Record<string, string | string[]>> = [
      { title: ['a', 'b'] },
      { goal: '1e400', title: 'x', body: 'y' },
      { collective: 'abc' },
      { closes_at: '9999-99-99T99:99' },
    ];
    for (const body of bodies) {
      for (const url of ['/organize/letters/new', `/organize/letters/${id}/edit`]) {
        const res = await editor.post(url, body);
        expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(422);
      }
    }
    for (const url of ['/organize/letters/abc', '/organize/letters/99999', `/organize/letters/${id}/notables/abc/edit`]) {
      expect((await editor.get(url)).statusCode, url).toBe(404);
    }
  });
});

describe('status lifecycle and previews', () => {
  it('goes draft → published → closed → published, and never back to draft', async () => {
    const id = await createDraft();
    const base = `/organize/letters/${id}`;
    await editor.get(base);
    expect((await editor.post(`${base}/status`, { to: 'closed' })).statusCode).toBe(409);
    expect((await letterRow('credit-the-colourists'))!.status).toBe('draft');

    expect((await editor.post(`${base}/status`, { to: 'published', confirm: 'yes' })).headers.location).toBe(`${base}?notice=published`);
    const published = (await letterRow('credit-the-colourists'))!;
    expect(published.status).toBe('published');
    expect(published.published_at).toBe(t.clock.now().getTime());
    expect((await t.app.inject({ method: 'GET', url: '/letters/credit-the-colourists' })).body).toContain('Add your name');

    t.clock.advance(3600_000);
    expect((await editor.post(`${base}/status`, { to: 'closed', confirm: 'yes' })).headers.location).toBe(`${base}?notice=closed`);
    const closedPage = await t.app.inject({ method: 'GET', url: '/letters/credit-the-colourists' });
    expect(closedPage.body).toContain('no longer takes signatures');
    expect((await signViaApi(t, 'credit-the-colourists', { name: 'Late Signer', email: 'late@example.org' })).statusCode).toBe(409);

    const refused = await editor.post(`${base}/status`, { to: 'draft' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('A closed letter cannot become draft.');

    // Reopening can be undone (close again): it is not asked first.
    expect((await editor.post(`${base}/status`, { to: 'published' })).headers.location).toBe(`${base}?notice=reopened`);
    const reopened = (await letterRow('credit-the-colourists'))!;
    expect(reopened).toMatchObject({ status: 'published', published_at: published.published_at, closed_at: null });
    expect((await editor.post(`${base}/status`, { to: 'archived' })).statusCode).toBe(422);
    expect(await auditActions(id)).toEqual(['letter.create', 'letter.status', 'letter.status', 'letter.status']);
  });

  it('asks before publishing, saying what follows, and the first POST changes nothing', async () => {
    const id = await createDraft();
    const base = `/organize/letters/${id}`;
    const overview = await editor.get(base);
    expect(overview.body).toContain('name="to" value="published"');

    const asked = await editor.post(`${base}/status`, { to: 'published' });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Publish ‘Credit the colourists’?');
    expect(asked.body).toContain('Once published it cannot become a draft again.');
    expect(asked.body).toContain('Signing opens at once');
    expect(asked.body).toContain('/letters/credit-the-colourists, is fixed from then on');
    // The confirming form carries the CSRF token, the move and the confirmation; Cancel goes back.
    expect(asked.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(asked.body).toContain('<button type="submit" name="confirm" value="yes">Publish now</button>');
    expect(asked.body).toContain(`<a class="button secondary" href="${base}">Cancel</a>`);
    expect((await letterRow('credit-the-colourists'))!).toMatchObject({ status: 'draft', published_at: null });
    expect(await auditActions(id)).toEqual(['letter.create']);
    expect((await t.app.inject({ method: 'GET', url: '/letters/credit-the-colourists' })).statusCode).toBe(404);

    // Without the CSRF token the confirmation is refused like any other form.
    expect((await editor.post(`${base}/status`, { to: 'published', confirm: 'yes', _csrf: '' })).statusCode).toBe(403);
    expect((await letterRow('credit-the-colourists'))!.status).toBe('draft');

    const confirmed = await editor.post(`${base}/status`, { to: 'published', confirm: 'yes' });
    expect(confirmed.headers.location).toBe(`${base}?notice=published`);
    expect((await letterRow('credit-the-colourists'))!.status).toBe('published');
    expect(await auditActions(id)).toEqual(['letter.create', 'letter.status']);
  });

  it('asks before closing, counting the signers who have not confirmed yet', async () => {
    const id = (await letterRow('fair-pay'))!.id as number;
    const base = `/organize/letters/${id}`;
    for (const n of [1, 2])
      expect((await signViaApi(t, 'fair-pay', { name: `Waiting ${n}`, email: `w${n}@example.org` })).statusCode).toBe(202);
    await editor.get(base);
    const asked = await editor.post(`${base}/status`, { to: 'closed' });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Close signing on ‘Fair pay for artists’?');
    expect(asked.body).toContain('2 signers have not confirmed by email yet');
    expect(asked.body).toContain('You can reopen it for signing later.');
    expect((await letterRow('fair-pay'))!).toMatchObject({ status: 'published', closed_at: null });
    expect((await signViaApi(t, 'fair-pay', { name: 'Still Open', email: 'open@example.org' })).statusCode).toBe(202);

    // A move that is not allowed is refused before anything is asked.
    const refused = await editor.post(`${base}/status`, { to: 'draft' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('A published letter cannot become draft.');

    expect((await editor.post(`${base}/status`, { to: 'closed', confirm: 'yes' })).headers.location).toBe(`${base}?notice=closed`);
    expect((await letterRow('fair-pay'))!.status).toBe('closed');
  });

  it('shows drafts to members of the collective only', async () => {
    const id = await createDraft();
    const preview = await editor.get(`/organize/letters/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Preview of a <strong>draft</strong> letter');
    expect(preview.body).toContain('<meta name="robots" content="noindex">');
    const moderator = await signedInOrganizer(t, { email: 'mo@example.org', collective: 'artists-united', role: 'moderator' });
    expect((await moderator.browser.get(`/organize/letters/${id}/preview`)).statusCode).toBe(200);
    const stranger = await signedInOrganizer(t, { email: 'x@example.org', collective: 'writers' });
    expect((await stranger.browser.get(`/organize/letters/${id}/preview`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/organize/letters/${id}/preview` })).statusCode).toBe(303);
  });
});

describe('versions', () => {
  it('keeps each signature with the text it signed when a published letter is edited', async () => {
    const letter = (await letterRow('fair-pay'))!;
    const id = letter.id as number;
    const before = await signAndConfirm('Ada Lindqvist', 'ada@example.org', 'fair-pay');
    expect(before.letter_version).toBe(1);

    const form = await editor.get(`/organize/letters/${id}/edit`);
    expect(form.body).toContain('Saving changes to the title, addressee or text creates version 2.');
    // The address is shown as fixed, not as a field that could be typed in.
    expect(form.body).not.toContain('name="slug"');
    expect(form.body).toContain('<span class="label" id="f-slug-label">Address <span class="tag">fixed</span></span>');
    expect(form.body).toContain('<a href="/letters/fair-pay">/letters/fair-pay</a>');
    expect(form.body).toContain('It cannot change now that the letter has been published');

    t.clock.advance(86_400_000);
    const edited = await editor.post(`/organize/letters/${id}/edit`, {
      title: 'Fair pay for artists',
      slug: 'fair-pay',
      summary: 'Artists ask to be paid.',
      addressee: 'Example Corp',
      body: 'We, the undersigned, ask for **fair pay**, within 30 days.',
      goal: '1000',
      closes_at: '',
      duplicate_names: 'hold',
    });
    expect(edited.headers.location).toBe(`/organize/letters/${id}?notice=new_version`);
    expect(await letterRow('fair-pay')).toMatchObject({ version: 2, edited_at: t.clock.now().getTime() });
    expect(await sql('SELECT version, body_md FROM letter_versions WHERE letter_id = ? ORDER BY version', id)).toEqual([
      { version: 1, body_md: 'We, the undersigned, ask for **fair pay**.\n\n[Read more](https://example.org/more)' },
      { version: 2, body_md: 'We, the undersigned, ask for **fair pay**, within 30 days.' },
    ]);
    const after = await signAndConfirm('Bruno Carvalho', 'bruno@example.org', 'fair-pay');
    expect(after.letter_version).toBe(2);
    expect(await sql('SELECT letter_version FROM signatures WHERE id = ?', before.id)).toEqual([{ letter_version: 1 }]);

    const page = await t.app.inject({ method: 'GET', url: '/letters/fair-pay' });
    expect(page.body).toContain('Edited on');
    expect(page.body).toContain('href="/letters/fair-pay/versions"');
    const versions = await t.app.inject({ method: 'GET', url: '/letters/fair-pay/versions' });
    expect(versions.body).toContain('Version 1');
    expect(versions.body).toContain('within 30 days');
    expect(await auditActions(id)).toEqual(['letter.new_version']);
    const entry = (
      await sql<{ before: string; after: string }>("SELECT before, after FROM audit_log WHERE action = 'letter.new_version'")
    )[0]!;
    expect(JSON.parse(entry.before)).toEqual({
      bodyMd: 'We, the undersigned, ask for **fair pay**.\n\n[Read more](https://example.org/more)',
      version: 1,
    });
    expect(JSON.parse(entry.after)).toEqual({ bodyMd: 'We, the undersigned, ask for **fair pay**, within 30 days.', version: 2 });

    // Settings that are not the words do not make a version; the address cannot move.
    await editor.get(`/organize/letters/${id}/edit`);
    const settings = await editor.post(`/organize/letters/${id}/edit`, {
      title: 'Fair pay for artists',
      slug: 'moved-address',
      summary: 'A new summary.',
      addressee: 'Example Corp',
      body: 'We, the undersigned, ask for **fair pay**, within 30 days.',
      goal: '2000',
      duplicate_names: 'allow',
    });
    expect(settings.headers.location).toBe(`/organize/letters/${id}?notice=saved`);
    expect(await letterRow('fair-pay')).toMatchObject({ version: 2, goal: 2000, summary: 'A new summary.', duplicate_names: 'allow' });
  });

  it('edits a draft in place, address included', async () => {
    const id = await createDraft();
    await editor.get(`/organize/letters/${id}/edit`);
    const res = await editor.post(`/organize/letters/${id}/edit`, { ...NEW_LETTER, slug: 'colourists', body: 'Changed words.' });
    expect(res.statusCode).toBe(303);
    expect(await letterRow('colourists')).toMatchObject({ id, version: 1, body_md: 'Changed words.' });
    expect(await sql('SELECT version, body_md FROM letter_versions WHERE letter_id = ?', id)).toEqual([
      { version: 1, body_md: 'Changed words.' },
    ]);
  });
});

describe('roles and collectives', () => {
  it('lets a moderator see a letter but not change its text or status', async () => {
    const id = (await letterRow('fair-pay'))!.id as number;
    const { browser } = await signedInOrganizer(t, { email: 'mo@example.org', collective: 'artists-united', role: 'moderator' });
    expect((await browser.get(`/organize/letters/${id}`)).statusCode).toBe(200);
    expect((await browser.get(`/organize/letters/${id}/edit`)).statusCode).toBe(403);
    const post = await browser.post(`/organize/letters/${id}/edit`, { ...NEW_LETTER, title: 'Hijacked' });
    expect(post.statusCode).toBe(403);
    expect((await browser.post(`/organize/letters/${id}/status`, { to: 'closed' })).statusCode).toBe(403);
    expect((await browser.get(`/organize/letters/${id}/notables`)).statusCode).toBe(403);
    expect((await browser.get('/organize/letters/new')).statusCode).toBe(403);
    expect(await letterRow('fair-pay')).toMatchObject({ title: 'Fair pay for artists', status: 'published' });
  });

  it('answers 404 for another collective’s letter, whatever the page', async () => {
    const id = (await letterRow('fair-pay'))!.id as number;
    const { browser } = await signedInOrganizer(t, { email: 'owner@writers.example', collective: 'writers', role: 'owner' });
    for (const path of ['', '/edit', '/preview', '/notables', '/moderation', '/signatures', '/export.csv']) {
      expect((await browser.get(`/organize/letters/${id}${path}`)).statusCode, path).toBe(404);
    }
    for (const [path, fields] of [
      ['/edit', { ...NEW_LETTER, title: 'Hijacked' }],
      ['/status', { to: 'closed' }],
      ['/notables', { name: 'Fake' }],
      ['/moderation', { action: 'hide', ids: '1' }],
    ] as const) {
      expect((await browser.post(`/organize/letters/${id}${path}`, fields)).statusCode, path).toBe(404);
    }
    expect((await browser.get('/organize/collectives/artists-united/members')).statusCode).toBe(404);
    expect((await browser.get('/organize')).body).not.toContain('Fair pay for artists');
    expect(await letterRow('fair-pay')).toMatchObject({ title: 'Fair pay for artists', status: 'published' });
    expect(await sql('SELECT id FROM notable_signatories')).toEqual([]);
  });

  it('keeps members and the audit log to owners', async () => {
    expect((await editor.get('/organize/collectives/artists-united/members')).statusCode).toBe(403);
    expect((await editor.get('/organize/collectives/artists-united/audit')).statusCode).toBe(403);
    expect((await editor.post('/organize/collectives/artists-united/members', { email: 'x@example.org', role: 'owner' })).statusCode).toBe(
      403,
    );
  });
});

describe('notable signatories', () => {
  it('promotes, adds, reorders, edits and removes, in the page and the API, audited', async () => {
    const id = (await letterRow('fair-pay'))!.id as number;
    const base = `/organize/letters/${id}/notables`;
    const ada = await signAndConfirm('Ada Lindqvist', 'ada@example.org', 'fair-pay');

    const search = await editor.get(`${base}?q=lindq`);
    expect(search.body).toContain('Ada Lindqvist');
    await signAndConfirm('Amélie Dupont', 'amelie@example.org', 'fair-pay');
    for (const q of ['amelie', 'AMELIE', 'dupont amé']) {
      const found = await editor.get(`${base}?q=${encodeURIComponent(q)}`);
      expect(found.body, q).toContain('Amélie Dupont');
      expect(found.body, q).not.toContain('Ada Lindqvist');
    }
    expect((await editor.post(`${base}/promote`, { signature_id: String(ada.id), description: 'illustrator' })).statusCode).toBe(303);
    const twice = await editor.post(`${base}/promote`, { signature_id: String(ada.id), description: 'again' });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('already on the notable list');
    expect((await editor.post(`${base}/promote`, { signature_id: '99999', description: '' })).statusCode).toBe(422);

    const empty = await editor.post(base, { name: '', description: 'x' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Please enter a name.');
    expect((await editor.post(base, { name: 'Thom Yorke', description: 'singer, Radiohead' })).statusCode).toBe(303);
    expect((await editor.post(base, { name: 'Zadie Smith', description: 'novelist' })).statusCode).toBe(303);

    const rows = () =>
      t.sql<{ id: number; name: string; name_key: string; signature_id: number | null }>(
        'SELECT id, name, name_key, signature_id FROM notable_signatories ORDER BY position, id',
      );
    expect((await rows()).map((r) => r.name)).toEqual(['Ada Lindqvist', 'Thom Yorke', 'Zadie Smith']);
    expect((await rows())[1]).toMatchObject({ name_key: nameKey('Thom Yorke'), signature_id: null });

    const zadie = (await rows())[2]!.id;
    expect((await editor.post(`${base}/${zadie}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect((await editor.post(`${base}/${zadie}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect((await rows()).map((r) => r.name)).toEqual(['Zadie Smith', 'Ada Lindqvist', 'Thom Yorke']);
    // Past the top: nothing moves, nothing breaks.
    expect((await editor.post(`${base}/${zadie}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect((await rows())[0]!.name).toBe('Zadie Smith');

    const thom = (await rows())[2]!.id;
    await editor.get(`${base}/${thom}/edit`);
    expect((await editor.post(`${base}/${thom}/edit`, { name: 'Thom Yorke', description: 'musician' })).statusCode).toBe(303);
    // A promoted entry keeps its signer's name.
    await editor.post(`${base}/${(await rows())[1]!.id}/edit`, { name: 'Someone Else', description: 'illustrator, Sweden' });
    expect((await rows())[1]!.name).toBe('Ada Lindqvist');

    const page = await t.app.inject({ method: 'GET', url: '/letters/fair-pay' });
    const notables = page.body.slice(page.body.indexOf('id="notables-title"'));
    const order = ['Zadie Smith', 'Ada Lindqvist', 'Thom Yorke'].map((n) => notables.indexOf(n));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(notables).toMatch(
      /Zadie Smith<\/span>, <span class="what" dir="auto">novelist<\/span> <span class="unverified">\(added by the organizers\)/,
    );
    expect(notables).toMatch(/Ada Lindqvist<\/span>, <span class="what" dir="auto">illustrator, Sweden<\/span><\/li>/);

    const api = await t.app.inject({ method: 'GET', url: '/api/v1/letters/fair-pay' });
    expect(api.statusCode).toBe(200);
    expect(api.json().notable_signatories).toEqual([
      { name: 'Zadie Smith', description: 'novelist', verified: false },
      { name: 'Ada Lindqvist', description: 'illustrator, Sweden', verified: true },
      { name: 'Thom Yorke', description: 'musician', verified: false },
    ]);

    // The impersonation guard uses the stored name_key: someone signing as Thom Yorke is held.
    const fake = await signAndConfirm('THOM YORKE', 'fake@example.org', 'fair-pay');
    expect(fake.status).toBe('held');

    expect((await editor.post(`${base}/${zadie}/remove`)).statusCode).toBe(303);
    expect((await rows()).map((r) => r.name)).toEqual(['Ada Lindqvist', 'Thom Yorke']);
    expect(await auditActions(id)).toEqual([
      'notable.promote',
      'notable.add',
      'notable.add',
      'notable.move',
      'notable.move',
      'notable.update',
      'notable.update',
      'notable.remove',
    ]);
  });
});
