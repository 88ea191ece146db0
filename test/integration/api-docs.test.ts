// The API docs page is right verbatim: every GET example on /api, run as it is written against
// the same site, answers what the page shows (status, the headers shown, the JSON; cursors and
// ETags included). The examples are the site's own letters and follow them; the signing example
// is never run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES_MAX_AGE_MS } from '../../src/api/docs-examples.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed } from '../helpers/signers.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off' }, { startBackground: false });
});

afterEach(async () => {
  await t.close();
});

interface ShownExample {
  name: string;
  command: string;
  answer: string;
}

function decode(html: string): string {
  return html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

/** Every example the page shows: its command and the answer printed under it. */
function examplesOn(html: string): ShownExample[] {
  const answers = new Map(
    [...html.matchAll(/<pre class="example-answer" data-example-answer="([^"]+)"[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => [
      m[1]!,
      decode(m[2]!),
    ]),
  );
  return [...html.matchAll(/<pre class="example-command" data-example="([^"]+)"><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => ({
    name: m[1]!,
    command: decode(m[2]!),
    answer: answers.get(m[1]!) ?? '',
  }));
}

/** Runs a curl command from the page against the app, as a reader would against the site. */
async function runVerbatim(command: string) {
  const match = /^curl((?: -i| -H '[^']*')*) '([^']+)'$/.exec(command);
  if (!match) throw new Error(`not a GET example: ${command}`);
  const headers: Record<string, string> = {};
  for (const h of match[1]!.matchAll(/-H '([^:]+): ([^']*)'/g)) headers[h[1]!.toLowerCase()] = h[2]!;
  const url = new URL(match[2]!);
  expect(url.origin).toBe(t.config.PUBLIC_URL);
  const res = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers });
  return { res, include: match[1]!.includes('-i') };
}

async function expectPageTellsTheTruth(html: string): Promise<string[]> {
  const examples = examplesOn(html);
  for (const { name, command, answer } of examples) {
    const { res, include } = await runVerbatim(command);
    if (include) {
      const [head, body = ''] = answer.split('\n\n');
      const [status, ...headerLines] = head!.split('\n');
      expect(status, name).toBe(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`);
      for (const line of headerLines) {
        const [header, ...value] = line.split(': ');
        expect(res.headers[header!], `${name} ${header}`).toBe(value.join(': '));
      }
      expect(body === '' ? '' : JSON.parse(body), name).toEqual(res.body === '' ? '' : JSON.parse(res.body));
    } else {
      expect(res.statusCode, name).toBe(200);
      expect(JSON.parse(answer), name).toEqual(JSON.parse(res.body));
    }
  }
  return examples.map((e) => e.name);
}

async function seedSite() {
  const older = await seedLetter(t.app, { slug: 'older-letter', title: 'An older letter' });
  t.clock.advance(86_400_000);
  const busy = await seedLetter(t.app, {
    slug: 'busy-letter',
    title: 'The busy letter',
    translations: [{ language: 'fr', title: 'La lettre très signée', summary: '', addressee: '', body: 'Le texte.' }],
  });
  t.clock.advance(86_400_000);
  await seedLetter(t.app, { slug: 'newest-letter', title: 'The newest letter' });
  for (let day = 0; day < 3; day++) {
    for (let i = 0; i < 2; i++) {
      await addConfirmed(t, busy.id, `Signer ${day} ${i}`, new Date(Date.UTC(2026, 5, 1 + day, 9 + i)), { country: 'FR' });
    }
  }
  await addConfirmed(t, older.id, 'Only One', new Date('2026-06-01T10:00:00Z'));
  t.clock.advance(3_600_000);
}

describe('the examples on /api', () => {
  it('each answers, run verbatim, what the page shows: lists, the next page by its cursor, a letter, counts, ETags and 304, errors', async () => {
    await seedSite();
    const html = (await t.app.inject('/api')).body;
    const names = await expectPageTellsTheTruth(html);
    expect(names).toEqual([
      'letters',
      'next-page',
      'letter',
      'letter-lang',
      'count',
      'signatures',
      'timeseries',
      'count-headers',
      'not-modified',
      'error',
    ]);

    const shown = new Map(examplesOn(html).map((e) => [e.name, e]));
    // One letter throughout, its slug and title together: the most signed of the newest.
    // The same letter in the language it is translated into, asked with ?lang.
    expect(shown.get('letter-lang')!.command).toContain('/api/v1/letters/busy-letter?lang=fr');
    expect(JSON.parse(shown.get('letter-lang')!.answer)).toMatchObject({ title: 'La lettre très signée', text_language: 'fr' });
    const letter = JSON.parse(shown.get('letter')!.answer);
    expect(letter).toMatchObject({ slug: 'busy-letter', title: 'The busy letter', signature_count: 6 });
    for (const name of ['letter', 'count', 'signatures', 'timeseries', 'count-headers', 'not-modified']) {
      expect(shown.get(name)!.command, name).toContain('/api/v1/letters/busy-letter');
    }
    // The timeseries asks for days and shows days.
    expect(shown.get('timeseries')!.command).toContain('interval=day');
    expect(JSON.parse(shown.get('timeseries')!.answer)).toMatchObject({ interval: 'day', buckets: expect.any(Array) });
    expect(JSON.parse(shown.get('timeseries')!.answer).buckets).toHaveLength(3);
    // The cursor example follows the cursor the first page gave, and answers a page, not a 400.
    const first = JSON.parse(shown.get('letters')!.answer);
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(shown.get('next-page')!.command).toContain(`cursor=${first.next_cursor}`);
    expect(JSON.parse(shown.get('next-page')!.answer).data.map((l: { slug: string }) => l.slug)).toEqual(['older-letter']);
    // The conditional request carries the ETag the request before it answered.
    const etag = /etag: (.+)/.exec(shown.get('count-headers')!.answer)![1];
    expect(shown.get('not-modified')!.command).toContain(`-H 'If-None-Match: ${etag}'`);
    expect(shown.get('not-modified')!.answer).toMatch(/^HTTP\/1\.1 304 Not Modified/);
    expect(shown.get('error')!.answer).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
  });

  it('never runs the signing example, and says plainly what running it does', async () => {
    await seedSite();
    const before = await t.sql('SELECT count(*) AS n FROM signatures');
    const outbox = await t.sql('SELECT count(*) AS n FROM outbox');
    const html = (await t.app.inject('/api')).body;
    expect(await t.sql('SELECT count(*) AS n FROM signatures')).toEqual(before);
    expect(await t.sql('SELECT count(*) AS n FROM outbox')).toEqual(outbox);
    const signing = html.slice(html.indexOf('id="signing"'));
    expect(signing).toContain('it creates a real pending signature on this letter and sends a confirmation mail');
    expect(signing).toContain("curl -X POST 'http://127.0.0.1:3000/api/v1/letters/busy-letter/signatures'");
    expect(signing).toContain('{&quot;status&quot;:&quot;pending_verification&quot;}');
    // The POST is not among the examples the page says it ran.
    expect(examplesOn(html).every((e) => !e.command.includes('-X POST'))).toBe(true);
  });

  it('follows the site: kept a few seconds, then asked again', async () => {
    await seedSite();
    const first = (await t.app.inject('/api')).body;
    const busy = (await t.sql<{ id: number }>("SELECT id FROM letters WHERE slug = 'busy-letter'"))[0]!;
    await addConfirmed(t, busy.id, 'Late Arrival', t.clock.now());
    // Within the window the page is the same, bytes and all...
    expect((await t.app.inject('/api')).body).toBe(first);
    // ...after it, the examples are asked again and tell the truth again.
    t.clock.advance(EXAMPLES_MAX_AGE_MS);
    const later = (await t.app.inject('/api')).body;
    expect(later).not.toBe(first);
    expect(JSON.parse(examplesOn(later).find((e) => e.name === 'count')!.answer).signature_count).toBe(7);
    await expectPageTellsTheTruth(later);
  });

  it('with nothing published, shows the commands without inventing answers', async () => {
    await seedLetter(t.app, { status: 'draft' });
    const html = (await t.app.inject('/api')).body;
    expect(await expectPageTellsTheTruth(html)).toEqual(['letters', 'error']);
    expect(html).toContain('curl &#39;http://127.0.0.1:3000/api/v1/letters/example-letter/count&#39;');
    expect(html).toContain('No letter is published on this site yet: once one is, its real answer shows here.');
    expect(JSON.parse(examplesOn(html)[0]!.answer)).toEqual({ data: [], next_cursor: null });
  });
});

describe('the docs page in other languages', () => {
  it('translates the prose and leaves the examples, code and field names as they are', async () => {
    await seedSite();
    const english = await t.app.inject({ method: 'GET', url: '/api' });
    const german = await t.app.inject({ method: 'GET', url: '/api?lang=de' });
    expect(german.statusCode).toBe(200);
    expect(german.body).toContain('<html lang="de" dir="ltr"');
    expect(german.body).toContain('<h1>Unterschriftenzahlen zum Zitieren, Abfragen und Einbetten</h1>');
    expect(german.body).toContain('<h2 id="public-log">Eine Zahl selbst prüfen</h2>');
    expect(german.body).toContain('Feldnamen sind in <code>snake_case</code>.');
    expect(german.body).toContain('<caption class="visually-hidden">Fehlercodes</caption>');
    expect(german.body).not.toContain('Signature counts you can quote');
    // The same examples, word for word: commands, answers, and the code around them.
    const shown = examplesOn(german.body);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown).toEqual(examplesOn(english.body));
    for (const code of ['<code>GET /api/v1/letters/{slug}/count</code>', '<code>signature_count</code>', '<code>400 bad_cursor</code>']) {
      expect(german.body).toContain(code);
    }
    const commandOf = (html: string) => /<pre class="example-command"><code>(curl -X POST[\s\S]*?)<\/code><\/pre>/.exec(html)?.[1];
    expect(commandOf(german.body)).toBe(commandOf(english.body));

    // Accept-Language chooses too, and Arabic reads right to left around the same code.
    const french = await t.app.inject({ method: 'GET', url: '/api', headers: { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' } });
    expect(french.body).toContain('<h2 id="basics">L’essentiel</h2>');
    const arabic = await t.app.inject({ method: 'GET', url: '/api?lang=ar' });
    expect(arabic.body).toContain('<html lang="ar" dir="rtl"');
    expect(arabic.body).toContain('<h2 id="errors">الأخطاء</h2>');
    expect(examplesOn(arabic.body)).toEqual(examplesOn(english.body));
  });
});
