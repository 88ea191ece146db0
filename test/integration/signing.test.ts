// The signer's journey through HTTP, with a real SMTP server receiving the mail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { letterCount, makeTestApp, recount, seedLetter, signViaApi, signViaForm, type TestApp } from '../helpers/app.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

let smtp: SmtpSink;
let t: TestApp;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

async function confirm(path: string) {
  return t.app.inject({ method: 'POST', url: path });
}

describe('signing and confirming', () => {
  it('counts a signature only after the emailed link is confirmed with a POST', async () => {
    const res = await signViaForm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', country: 'GB', title: 'Illustrator' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/letters/fair-pay/signed');
    const checkEmail = await t.app.inject(res.headers.location as string);
    expect(checkEmail.body).toContain('Check your email');
    expect(await letterCount(t, 'fair-pay')).toBe(0);

    const mail = await smtp.waitFor('ada@example.org', /Confirm your signature/);
    expect(mail.subject).toContain('Fair pay for artists');
    expect(mail.html).toContain('Confirm my signature');
    const verify = linkIn(mail, 'verify');
    expect(mail.text).toContain('http://127.0.0.1:3000/verify/');

    // Following the link (what mail scanners do) changes nothing.
    const page = await t.app.inject(verify);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confirm my signature');
    expect(page.body).toContain('Fair pay for artists');
    expect(await letterCount(t, 'fair-pay')).toBe(0);

    const thanks = await confirm(verify);
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('Thank you for signing');
    expect(thanks.body).toMatch(/data-count>1</);
    expect(thanks.body).toMatch(/href="\/withdraw\/[A-Za-z0-9_-]{43}"/);
    expect(await letterCount(t, 'fair-pay')).toBe(1);

    const letterPage = await t.app.inject('/letters/fair-pay');
    expect(letterPage.body).toContain('Ada Lovelace');
    expect(letterPage.body).toContain('Illustrator');
    expect(letterPage.body).not.toContain('ada@example.org');
    expect(letterPage.body).toMatch(/class="count">1</);
  });

  it('confirming twice is harmless and counts once', async () => {
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const verify = linkIn(await smtp.waitFor('ada@example.org'), 'verify');
    expect((await confirm(verify)).statusCode).toBe(200);
    const again = await confirm(verify);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Thank you for signing');
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    expect(await recount(t, 'fair-pay')).toBe(1);
  });

  it('an expired link shows a friendly page and can send a new one', async () => {
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const verify = linkIn(await smtp.waitFor('ada@example.org'), 'verify');
    t.clock.advance(7 * 24 * 3600 * 1000 + 1000);

    const page = await t.app.inject(verify);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('expired');
    const post = await confirm(verify);
    expect(post.statusCode).toBe(410);
    expect(await letterCount(t, 'fair-pay')).toBe(0);

    const resend = await t.app.inject({ method: 'POST', url: `${verify}/resend` });
    expect(resend.statusCode).toBe(303);
    await expect.poll(() => smtp.for('ada@example.org').length).toBe(2);
    const fresh = linkIn(smtp.for('ada@example.org')[1]!, 'verify');
    expect(fresh).not.toBe(verify);
    expect((await confirm(fresh)).statusCode).toBe(200);
    expect(await letterCount(t, 'fair-pay')).toBe(1);
  });

  it('unknown and malformed tokens get a friendly 404 page', async () => {
    for (const url of ['/verify/nope', `/verify/${'a'.repeat(43)}`, `/withdraw/${'b'.repeat(43)}`, '/verify/%00%ff', '/verify/%E0%A4%A']) {
      const get = await t.app.inject(url);
      // A URL that is not even valid percent-encoding is a 400; any other unknown token a 404.
      expect([400, 404], url).toContain(get.statusCode);
      expect(get.headers['content-type']).toContain('text/html');
      const post = await t.app.inject({ method: 'POST', url });
      expect(post.statusCode, url).toBe(get.statusCode);
      expect(post.headers['content-type']).toContain('text/html');
    }
  });

  it('signing again while pending re-sends the mail, at most once a minute', async () => {
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    await smtp.waitFor('ada@example.org');
    const again = await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'Ada@Example.org' });
    expect(again.statusCode).toBe(202);
    await t.app.services.mail.worker.flush();
    expect(smtp.for('ada@example.org')).toHaveLength(1);

    t.clock.advance(61_000);
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    await expect.poll(() => smtp.for('ada@example.org').length).toBe(2);
    expect(smtp.for('ada@example.org')[1]!.subject).toContain('Confirm your signature');
    // Both links work until used: the first still confirms.
    expect((await confirm(linkIn(smtp.for('ada@example.org')[0]!, 'verify'))).statusCode).toBe(200);
    expect(await letterCount(t, 'fair-pay')).toBe(1);
  });

  it('signing again after confirming looks the same to the requester and changes nothing visible', async () => {
    const first = await signViaForm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    await confirm(linkIn(await smtp.waitFor('ada@example.org'), 'verify'));
    t.clock.advance(61_000);
    const second = await signViaForm(t, 'fair-pay', { name: 'Someone Else', email: 'ada@example.org' });
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.headers.location).toBe(first.headers.location);
    const apiSecond = await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    expect(apiSecond.statusCode).toBe(202);
    expect(apiSecond.json()).toEqual({ status: 'pending_verification' });

    const already = await smtp.waitFor('ada@example.org', /already signed/);
    expect(already.text).toMatch(/\/withdraw\/[A-Za-z0-9_-]{43}/);
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    const page = await t.app.inject('/letters/fair-pay');
    expect(page.body).toContain('Ada Lovelace');
    expect(page.body).not.toContain('Someone Else');
  });

  it('withdrawing takes a POST and uncounts the signature', async () => {
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const mail = await smtp.waitFor('ada@example.org');
    await confirm(linkIn(mail, 'verify'));
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    const withdraw = linkIn(mail, 'withdraw');

    const page = await t.app.inject(withdraw);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Withdraw my signature');
    expect(await letterCount(t, 'fair-pay')).toBe(1);

    const done = await t.app.inject({ method: 'POST', url: withdraw });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('withdrawn');
    expect(await letterCount(t, 'fair-pay')).toBe(0);
    expect((await t.app.inject({ method: 'POST', url: withdraw })).statusCode).toBe(200);
    expect(await letterCount(t, 'fair-pay')).toBe(0);
    expect((await t.app.inject('/letters/fair-pay')).body).not.toContain('Ada Lovelace');
  });

  it('keeps private signers off the public list but counts them', async () => {
    await signViaForm(t, 'fair-pay', { name: 'Quiet Person', email: 'quiet@example.org', public: '' });
    await confirm(linkIn(await smtp.waitFor('quiet@example.org'), 'verify'));
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    expect((await t.app.inject('/letters/fair-pay')).body).not.toContain('Quiet Person');
  });
});

describe('letters that cannot be signed', () => {
  it('refuses a closed letter, in the API with 409', async () => {
    await seedLetter(t.app, { slug: 'closed-one', status: 'closed' });
    const api = await signViaApi(t, 'closed-one', { name: 'Ada', email: 'ada@example.org' });
    expect(api.statusCode).toBe(409);
    expect(api.json().error.code).toBe('letter_closed');
    const form = await signViaForm(t, 'closed-one', { name: 'Ada', email: 'ada@example.org' });
    expect(form.statusCode).toBe(409);
    expect(form.headers['content-type']).toContain('text/html');
    const page = await t.app.inject('/letters/closed-one');
    expect(page.body).not.toContain('<form class="sign-form"');
    expect(page.body).toContain('closed on');
  });

  it('refuses a letter past closes_at', async () => {
    await seedLetter(t.app, { slug: 'deadline', closes_at: new Date('2026-06-01T11:00:00Z') });
    expect((await signViaApi(t, 'deadline', { name: 'Ada', email: 'ada@example.org' })).statusCode).toBe(409);
    expect((await t.app.inject('/letters/deadline')).body).not.toContain('<form class="sign-form"');
  });

  it('treats drafts as not found', async () => {
    await seedLetter(t.app, { slug: 'draft-one', status: 'draft' });
    expect((await signViaApi(t, 'draft-one', { name: 'Ada', email: 'ada@example.org' })).statusCode).toBe(404);
    expect((await t.app.inject('/letters/draft-one')).statusCode).toBe(404);
    expect((await signViaApi(t, 'no-such-letter', { name: 'Ada', email: 'ada@example.org' })).statusCode).toBe(404);
  });
});

describe('validation', () => {
  it('answers 422 with field messages in the API and stores nothing', async () => {
    const res = await signViaApi(t, 'fair-pay', { name: '  ', email: 'not-an-email', country: 'XX', title: 'x'.repeat(121) });
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.fields).sort()).toEqual(['country', 'email', 'name', 'title']);
    expect(await t.sql('SELECT count(*) AS n FROM signatures')).toEqual([{ n: 0 }]);
    expect(await t.sql('SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }]);
  });

  it('re-renders the form with messages next to the fields and the input kept', async () => {
    const res = await signViaForm(t, 'fair-pay', { name: '', email: 'ada@@example', title: 'Painter', organisation: 'Studio "Nine"' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Please enter your name.');
    expect(res.body).toContain('Please enter a valid email address');
    expect(res.body).toContain('value="ada@@example"');
    expect(res.body).toContain('value="Painter"');
    expect(res.body).toContain('value="Studio &quot;Nine&quot;"');
    expect(res.body).toMatch(/id="sign-name"[^>]*aria-invalid="true"[^>]*autofocus/);
  });

  it.each([
    ['NUL in the name', { name: 'Ada\u0000Lovelace', email: 'ada@example.org' }],
    ['a control character', { name: 'Ada\u0007', email: 'ada@example.org' }],
    ['a name that is a formula', { name: '=HYPERLINK("x")', email: 'ada@example.org' }],
    ['a URL as a name', { name: 'Visit https://spam.example', email: 'ada@example.org' }],
    ['a 121-character name', { name: 'a'.repeat(121), email: 'ada@example.org' }],
    ['a 501-character comment', { name: 'Ada', email: 'ada@example.org', comment: 'c'.repeat(501) }],
    ['a number as name', { name: 42, email: 'ada@example.org' }],
    ['public as a string', { name: 'Ada', email: 'ada@example.org', public: 'yes' }],
    ['missing email', { name: 'Ada' }],
  ])('refuses %s with 422', async (_, body) => {
    const res = await signViaApi(t, 'fair-pay', body);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields).toBeTypeOf('object');
    expect(await t.sql('SELECT count(*) AS n FROM signatures')).toEqual([{ n: 0 }]);
  });

  it('refuses bodies over 16 KB, broken JSON and other content types with a clear 4xx', async () => {
    const big = await signViaApi(t, 'fair-pay', { name: 'Ada', email: 'ada@example.org', comment: 'x'.repeat(17 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Ada",',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).not.toMatch(/at .*\.js/);
    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      headers: { 'content-type': 'application/xml' },
      payload: '<name>Ada</name>',
    });
    expect(xml.statusCode).toBe(415);
    const formBig = await t.app.inject({
      method: 'POST',
      url: '/letters/fair-pay/sign',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `name=${'x'.repeat(17 * 1024)}`,
    });
    expect(formBig.statusCode).toBe(413);
    expect(formBig.headers['content-type']).toContain('text/html');
    expect(await t.sql('SELECT count(*) AS n FROM signatures')).toEqual([{ n: 0 }]);
  });
});

describe('bots', () => {
  it('a filled honeypot gets the same answer and nothing is stored or mailed', async () => {
    const res = await signViaForm(t, 'fair-pay', { name: 'Bot', email: 'bot@example.org', website: 'http://spam.example' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/letters/fair-pay/signed');
    expect(await t.sql('SELECT count(*) AS n FROM signatures')).toEqual([{ n: 0 }]);
    expect(await t.sql('SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }]);
  });
});
