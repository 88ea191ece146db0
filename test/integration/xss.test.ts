// Hostile text from signers and organizers is escaped or removed everywhere it appears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { addConfirmed } from '../helpers/signers.js';
import { SmtpSink } from '../helpers/smtp-sink.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<svg><script>alert(1)</script></svg>',
  '</title><script>alert(1)</script>',
  '<a href="javascript:alert(1)">click</a>',
  '{{constructor.constructor("alert(1)")()}}',
  '<% it.x %>',
];

/** Markup that would execute or inject if it reached a page unescaped (our own script is a static file). */
const EXECUTABLE = [
  /<script(?![^>]*\ssrc="\/static\/)[\s>]/i,
  /<img[^>]*onerror/i,
  /<svg[^>]*onload/i,
  /href="javascript:/i,
  /<\/title><script/i,
];

let t: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, RATE_LIMIT: 'off', SPIKE_GUARD: 'off' });
  const letter = await seedLetter(t.app, {
    title: 'Letter <script>alert("title")</script>',
    summary: '"><img src=x onerror=alert(2)>',
    notable: [{ name: '<img src=x onerror=alert(3)>', description: '<script>alert(4)</script>' }],
    body: 'Text [x](javascript:alert(5)) <iframe src=//evil.example></iframe>',
  });
  for (const [i, name] of PAYLOADS.entries()) {
    const signature = await addConfirmed(t, letter.id, name, t.clock.now(), {
      email: `x${i}@example.org`,
      title: PAYLOADS[(i + 1) % PAYLOADS.length]!,
      organisation: PAYLOADS[(i + 2) % PAYLOADS.length]!,
    });
    // Seeding takes no comment (only the signing form does): written straight into the row.
    await t.sql('UPDATE signatures SET comment = ? WHERE id = ?', '<script>alert("comment")</script>', signature.id);
  }
});

afterAll(async () => {
  await t.close();
  await smtp.stop();
});

function expectInert(body: string, where: string) {
  for (const pattern of EXECUTABLE) expect(body, `${where} matched ${pattern}`).not.toMatch(pattern);
}

describe('XSS battery', () => {
  it.each([
    '/',
    '/letters/fair-pay',
    '/letters/fair-pay/versions',
    '/letters/fair-pay/signed',
    '/letters/fair-pay/embed',
    '/letters.atom',
    '/letters/fair-pay/badge.svg',
  ])('keeps %s inert', async (url) => {
    const res = await t.app.inject(url);
    if (res.statusCode === 404) return; // a route another part of the suite covers
    expect(res.statusCode).toBe(200);
    expectInert(res.body, url);
  });

  it('shows hostile names as text on the letter page', async () => {
    const page = (await t.app.inject('/letters/fair-pay')).body;
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('alert("comment")');
  });

  it('returns hostile names as JSON strings with a JSON content type', async () => {
    const res = await t.app.inject('/api/v1/letters/fair-pay/signatures');
    if (res.statusCode === 404) return;
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const names = res.json().data.map((s: { name: string }) => s.name);
    expect(names).toContain('"><img src=x onerror=alert(1)>');
  });

  it('escapes names in the HTML mail and strips bidi overrides before storing', async () => {
    const res = await signViaApi(t, 'fair-pay', { name: '\u202Eevil"><img src=x onerror=alert(1)>', email: 'mail-xss@example.org' });
    expect(res.statusCode).toBe(202);
    const mail = await smtp.waitFor('mail-xss@example.org');
    expectInert(mail.html, 'mail html');
    expect(mail.html).toContain('&lt;img');
    const stored = await t.one<string>("SELECT name FROM signatures WHERE email = 'mail-xss@example.org'");
    expect(stored).toBe('evil"><img src=x onerror=alert(1)>');
  });
});
