// /letters/:slug/signatures: every listed signature, notables first then newest, in keyset pages,
// searchable by any word's start ignoring case and accents; the words index follows every change
// that lists or unlists a signature. Runs on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PressRepo } from '../../src/api/press-repo.js';
import { searchWords } from '../../src/api/press-service.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed, moderate } from '../helpers/signers.js';

let t: TestApp;
let letterId: number;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (
    await seedLetter(t.app, {
      notable: [
        { name: 'Amélie Notable', description: 'Painter' },
        { name: 'Zed Famous', description: 'Poet' },
      ],
    })
  ).id;
});

afterEach(async () => {
  await t.close();
});

/** The listed names on a page, in order (the notables' list excluded). */
function listedNames(html: string): string[] {
  const list = html.split('id="all-title"')[1] ?? '';
  return [...list.matchAll(/<span class="who" dir="auto">([^<]*)<\/span>/g)].map((m) => m[1] as string);
}

function notableNames(html: string): string[] {
  const section = html.split('id="notables-title"')[1]?.split('</section>')[0] ?? '';
  return [...section.matchAll(/<span class="who" dir="auto">([^<]*)<\/span>/g)].map((m) => m[1] as string);
}

async function get(url: string) {
  const res = await t.app.inject(url);
  return { status: res.statusCode, html: res.body };
}

const nextHref = (html: string) => html.match(/<a href="([^"]+)">Next: earlier signatures/)?.[1]?.replaceAll('&amp;', '&') ?? null;

describe('the signatories page', () => {
  it('lists notables first, then every listed signature newest first, page by page with Next and Newest', async () => {
    const start = t.clock.now().getTime();
    // 120 listed, 3 per minute (ties broken by id), plus some that must never show.
    for (let i = 0; i < 120; i++) await addConfirmed(t, letterId, `Signer Number${i}`, new Date(start - Math.floor(i / 3) * 60_000));
    await addConfirmed(t, letterId, 'Private Person', new Date(start), { isPublic: false });
    const hidden = await addConfirmed(t, letterId, 'Hidden Person', new Date(start));
    await moderate(t, hidden.id, 'hide');

    const first = await get('/letters/fair-pay/signatures');
    expect(first.status).toBe(200);
    expect(notableNames(first.html)).toEqual(['Amélie Notable', 'Zed Famous']);
    expect(first.html.indexOf('notables-title')).toBeLessThan(first.html.indexOf('all-title'));
    expect(first.html).toContain('<strong>122</strong> signatures in all');
    expect(first.html).not.toContain('←</span> Newest');

    const seen: string[] = [];
    let html = first.html;
    let pages = 1;
    for (;;) {
      seen.push(...listedNames(html));
      const next = nextHref(html);
      if (!next || pages > 10) break;
      const page = await get(next);
      expect(page.status).toBe(200);
      expect(page.html).toContain('←</span> Newest');
      // Notables are on the first page only.
      expect(notableNames(page.html)).toEqual([]);
      html = page.html;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    // Newest first: within a minute the newest id first, so Number2, Number1, Number0, Number5...
    expect(seen.slice(0, 4)).toEqual(['Signer Number2', 'Signer Number1', 'Signer Number0', 'Signer Number5']);
    expect(seen).not.toContain('Private Person');
    expect(seen).not.toContain('Hidden Person');
  });

  it('finds names by the start of any word, ignoring case, accents, titles and word order', async () => {
    const at = t.clock.now();
    await addConfirmed(t, letterId, 'Amélie Dupont', at);
    await addConfirmed(t, letterId, 'Dr Ada Lindqvist', at);
    await addConfirmed(t, letterId, 'Adam Smith', at);
    await addConfirmed(t, letterId, 'Zoë Ämelie-Berg', at);
    await addConfirmed(t, letterId, 'Quiet Amelie', at, { isPublic: false });

    const search = async (q: string) => {
      const page = await get(`/letters/fair-pay/signatures?q=${encodeURIComponent(q)}`);
      expect(page.status).toBe(200);
      return page;
    };
    const amelie = await search('amelie');
    expect(listedNames(amelie.html).sort()).toEqual(['Amélie Dupont', 'Zoë Ämelie-Berg']);
    expect(notableNames(amelie.html)).toEqual(['Amélie Notable']);
    expect(amelie.html).toContain('3 signatories match “amelie”');
    expect(amelie.html).toContain('role="status"');
    expect(amelie.html).toContain('value="amelie"');

    expect(listedNames((await search('lindqvist ada')).html)).toEqual(['Dr Ada Lindqvist']);
    expect(listedNames((await search('LINDQ')).html)).toEqual(['Dr Ada Lindqvist']);
    expect(listedNames((await search('ada')).html).sort()).toEqual(['Adam Smith', 'Dr Ada Lindqvist']);
    // Every word must match: "ada smith" is Adam Smith only.
    expect(listedNames((await search('ada smi')).html)).toEqual(['Adam Smith']);
    // The middle of a word is not its start.
    expect(listedNames((await search('melie')).html)).toEqual([]);
    const none = await search('nobody');
    expect(none.html).toContain('No listed signatory matches “nobody”');
    // Only punctuation folds to nothing: everyone is listed.
    expect(listedNames((await search('!!')).html)).toHaveLength(4);
    // Hostile text is shown back escaped.
    expect((await search('<b>x')).html).toContain('“&lt;b&gt;x”');
  });

  it('follows the signature out of the search and back: hiding, rejection, approval, fraud', async () => {
    const at = t.clock.now();
    const ana = await addConfirmed(t, letterId, 'Ana Ölund', at);
    const names = async () => listedNames((await get('/letters/fair-pay/signatures?q=olund')).html);
    expect(await names()).toEqual(['Ana Ölund']);
    await moderate(t, ana.id, 'hide');
    expect(await names()).toEqual([]);
    await moderate(t, ana.id, 'unhide');
    expect(await names()).toEqual(['Ana Ölund']);
    await moderate(t, ana.id, 'reject');
    expect(await names()).toEqual([]);
    await moderate(t, ana.id, 'approve');
    expect(await names()).toEqual(['Ana Ölund']);
    const words = await t.sql<{ word: string }>('SELECT word FROM signature_name_words WHERE signature_id = ? ORDER BY word', ana.id);
    expect(words.map((w) => w.word)).toEqual(['ana', 'olund']);
    await moderate(t, ana.id, 'fraudulent');
    expect(await names()).toEqual([]);
    expect(await t.sql('SELECT word FROM signature_name_words WHERE signature_id = ?', ana.id)).toEqual([]);
  });

  it('pages through search results with cursors that keep the search', async () => {
    const start = t.clock.now().getTime();
    for (let i = 0; i < 60; i++)
      await addConfirmed(t, letterId, `Émile Number${i}`, new Date(start - i * 1000), { email: `emile${i}@example.org` });
    for (let i = 0; i < 10; i++) await addConfirmed(t, letterId, `Other Number${i}`, new Date(start - i * 1000));
    const first = await get('/letters/fair-pay/signatures?q=emile');
    const next = nextHref(first.html);
    expect(next).toContain('q=emile');
    expect(first.html).toContain('50 or more signatories match “emile”');
    const second = await get(next as string);
    const all = [...listedNames(first.html), ...listedNames(second.html)];
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => `Émile Number${i}`));
    expect(nextHref(second.html)).toBeNull();
  });

  it('answers 404 for a draft or unknown letter, and 400 for a cursor not made for it', async () => {
    await seedLetter(t.app, { slug: 'a-draft', status: 'draft' });
    expect((await get('/letters/a-draft/signatures')).status).toBe(404);
    expect((await get('/letters/nothing-here/signatures')).status).toBe(404);
    const bad = await get('/letters/fair-pay/signatures?cursor=forged.cursor');
    expect(bad.status).toBe(400);
  });

  it('links from the letter page', async () => {
    await addConfirmed(t, letterId, 'Someone Here', t.clock.now());
    const page = await get('/letters/fair-pay');
    expect(page.html).toMatch(/<a href="\/letters\/fair-pay\/signatures">See all 1 signatory/);
  });

  it('searches in the JSON API too, with cursors', async () => {
    const start = t.clock.now().getTime();
    for (let i = 0; i < 5; i++) await addConfirmed(t, letterId, `Amélie Api${i}`, new Date(start - i * 1000));
    await addConfirmed(t, letterId, 'Bob Api', new Date(start));
    const res = await t.app.inject('/api/v1/letters/fair-pay/signatures?q=AMELIE&limit=3');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { data: Array<{ name: string }>; next_cursor: string | null };
    expect(body.data.map((s) => s.name)).toEqual(['Amélie Api0', 'Amélie Api1', 'Amélie Api2']);
    const more = await t.app.inject(`/api/v1/letters/fair-pay/signatures?q=AMELIE&limit=3&cursor=${body.next_cursor}`);
    expect((more.json() as { data: Array<{ name: string }> }).data.map((s) => s.name)).toEqual(['Amélie Api3', 'Amélie Api4']);
  });

  it('finds the same names, in the same pages, whether a rare word leads or the words are intersected', async () => {
    const start = t.clock.now().getTime();
    const names = ['Ada Lindqvist', 'Adam Smith', 'Ada Smithers', 'Amélie Dupont', 'Dr Ada Lind', 'Bob Adams', 'Ada Ada', 'Zoë Smith'];
    for (const [i, name] of names.entries()) await addConfirmed(t, letterId, name, new Date(start - Math.floor(i / 2) * 1000));
    const probing = new PressRepo(t.store);
    const intersecting = new PressRepo(t.store, { rareWordMatches: 0 });
    for (const q of ['ada', 'ada smi', 'smi ada', 'lind ada', 'a s', 'ada ada', 'zz ada', 'amelie dup']) {
      const words = searchWords(q);
      const all = async (repo: PressRepo) => {
        const seen: string[] = [];
        let after: { verifiedAt: number; id: number } | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await repo.publicSignatures(letterId, 2, after, words);
          seen.push(...page.map((s) => s.name));
          const last = page.at(-1);
          if (page.length < 2 || !last) break;
          after = { verifiedAt: last.verifiedAt.getTime(), id: last.id };
        }
        return seen;
      };
      const expected = names.filter((name) => words.every((w) => searchWords(name).some((n) => n.startsWith(w))));
      const probed = await all(probing);
      expect(probed.slice().sort(), q).toEqual(expected.slice().sort());
      expect(await all(intersecting), q).toEqual(probed);
    }
  });
});
