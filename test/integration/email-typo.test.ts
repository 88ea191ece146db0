// A mistyped address can be seen and fixed: the form asks "Did you mean …?" before storing
// anything, takes the fix in one tap or the address as typed, and the check-email page shows
// where the mail went, to that browser only. The API takes the address as sent and names the
// likely fix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signFormBody, signViaApi, signViaForm, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
});

const stored = () => t.sql<{ email: string }>('SELECT email FROM signatures ORDER BY id');
const plainText = (html: string) => html.replaceAll('&#64;', '@').replaceAll('&quot;', '"');

/** A second press of the re-rendered form: every field as it came back, plus the button pressed. */
function resend(fields: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: '/letters/fair-pay/sign',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: signFormBody(t.config, 'fair-pay', fields, t.clock.now().getTime() - 60_000),
  });
}

describe('a likely typo in the address', () => {
  it('is not stored: the form comes back with the values kept and both choices', async () => {
    const res = await signViaForm(t, 'fair-pay', { name: 'Lena Berg', email: 'lena@gmial.com', title: 'Illustrator' });
    expect(res.statusCode).toBe(422);
    const html = plainText(res.body);
    expect(html).toContain('Did you mean <strong class="email">lena@gmail.com</strong>?');
    expect(html).toMatch(
      /<button type="submit" name="use_email" value="lena@gmail.com"[^>]*>Use <span class="email">lena@gmail.com<\/span>/,
    );
    expect(html).toMatch(
      /<button type="submit" name="email_checked" value="lena@gmial.com"[^>]*>Keep <span class="email">lena@gmial.com<\/span>/,
    );
    expect(html).toContain('value="Lena Berg"');
    expect(html).toContain('value="Illustrator"');
    expect(await stored()).toEqual([]);
  });

  it('is kept as typed when the signer says so', async () => {
    const res = await resend({
      name: 'Lena Berg',
      email: 'lena@gmial.com',
      email_suggested_for: 'lena@gmial.com',
      email_checked: 'lena@gmial.com',
    });
    expect(res.statusCode).toBe(303);
    expect(await stored()).toEqual([{ email: 'lena@gmial.com' }]);
  });

  it('is replaced by the suggestion in one tap', async () => {
    const res = await resend({
      name: 'Lena Berg',
      email: 'lena@gmial.com',
      email_suggested_for: 'lena@gmial.com',
      use_email: 'lena@gmail.com',
    });
    expect(res.statusCode).toBe(303);
    expect(await stored()).toEqual([{ email: 'lena@gmail.com' }]);
  });

  it('is checked again when the field was edited after the question (the one-tap fix no longer applies)', async () => {
    const res = await resend({
      name: 'Lena Berg',
      email: 'lena@hotnail.com',
      email_suggested_for: 'lena@gmial.com',
      use_email: 'lena@gmail.com',
    });
    expect(res.statusCode).toBe(422);
    expect(plainText(res.body)).toContain('Did you mean <strong class="email">lena@hotmail.com</strong>?');
    expect(await stored()).toEqual([]);
  });

  it('does not hold up a well-typed address', async () => {
    const res = await signViaForm(t, 'fair-pay', { name: 'Lena Berg', email: 'lena@gmail.com' });
    expect(res.statusCode).toBe(303);
    expect(await stored()).toEqual([{ email: 'lena@gmail.com' }]);
  });

  it('is taken as sent through the API, with the suggestion in the answer', async () => {
    const typo = await signViaApi(t, 'fair-pay', { name: 'Lena Berg', email: 'lena@gmial.com' });
    expect(typo.statusCode).toBe(202);
    expect(typo.json()).toEqual({ status: 'pending_verification', suggestion: 'lena@gmail.com' });
    const fine = await signViaApi(t, 'fair-pay', { name: 'Ada Berg', email: 'ada@gmail.com' });
    expect(fine.json()).toEqual({ status: 'pending_verification' });
    expect(await stored()).toEqual([{ email: 'lena@gmial.com' }, { email: 'ada@gmail.com' }]);
  });
});

describe('the check-email page', () => {
  it('shows the address the mail went to, to the browser that signed only, never in a URL', async () => {
    const res = await resend({
      name: 'Lena Berg',
      email: 'lena@gmial.com',
      email_suggested_for: 'lena@gmial.com',
      email_checked: 'lena@gmial.com',
    });
    expect(res.headers.location).toBe('/letters/fair-pay/signed');
    expect(res.headers.location).not.toContain('lena');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^undersigned_sent_to=[^;]+; Path=\/letters\/fair-pay\/signed; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(cookie).not.toContain('lena');

    const page = await t.app.inject({ url: '/letters/fair-pay/signed', headers: { cookie: cookie.split(';')[0] as string } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(plainText(page.body)).toContain(
      'We sent it to <strong class="email">lena@gmial.com</strong>. Wrong address? <a href="/letters/fair-pay#sign">Sign again</a>',
    );

    // Anyone else (no cookie, a forged one, or after ten minutes) sees the page without it.
    const other = await t.app.inject('/letters/fair-pay/signed');
    expect(other.body).not.toContain('gmial');
    expect(other.body).toContain('Wrong address? <a href="/letters/fair-pay#sign">Sign again</a>');
    const forged = await t.app.inject({
      url: '/letters/fair-pay/signed',
      headers: { cookie: 'undersigned_sent_to=bGVuYUBleGFtcGxlLm9yZw.99999999999999.x' },
    });
    expect(forged.body).not.toContain('We sent it to');
    t.clock.advance(10 * 60 * 1000 + 1);
    const late = await t.app.inject({ url: '/letters/fair-pay/signed', headers: { cookie: cookie.split(';')[0] as string } });
    expect(late.body).not.toContain('gmial');
  });
});
