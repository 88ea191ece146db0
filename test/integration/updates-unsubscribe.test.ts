// Leaving updates is one click: the link in every update's List-Unsubscribe header answers a
// POST (RFC 8058: form-encoded or multipart, or no body) without a session or a CSRF token, a GET
// only shows a button, and a link that is not ours is a 404 page. The signature still counts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsubscribeTokens } from '../../src/domain/unsubscribe-token.js';
import { letterCount, makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { seedSigners } from '../helpers/updates.js';

let t: TestApp;
let url: string;
let signatureId: number;

beforeEach(async () => {
  t = await makeTestApp({ LINK_LIMIT_PER_IP: '8' });
  const letter = await seedLetter(t.app);
  const ids = await seedSigners(t, letter.id, ['ada@example.org']);
  signatureId = ids.get('ada@example.org') as number;
  url = `/unsubscribe/${new UnsubscribeTokens(t.config.SESSION_SECRET).tokenFor(signatureId)}`;
});
afterEach(async () => {
  await t.close();
});

const unsubscribedAt = () => t.one<number | null>('SELECT updates_unsubscribed_at FROM signatures WHERE id = ?', signatureId);
const recipients = () => t.app.services.updates.recipientCount(1);

const MULTIPART_BOUNDARY = '----one-click';
const multipart = [
  `--${MULTIPART_BOUNDARY}`,
  'Content-Disposition: form-data; name="List-Unsubscribe"',
  '',
  'One-Click',
  `--${MULTIPART_BOUNDARY}--`,
  '',
].join('\r\n');

describe('one-click unsubscribe', () => {
  it.each([
    ['form-encoded', { 'content-type': 'application/x-www-form-urlencoded' }, 'List-Unsubscribe=One-Click'],
    ['multipart', { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` }, multipart],
    ['empty', {}, undefined],
  ])('answers a %s POST with 200, without a session or CSRF token, and keeps the signature counted', async (_kind, headers, payload) => {
    expect(await recipients()).toBe(1);
    const res = await t.app.inject({ method: 'POST', url, headers, payload });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('You will receive no more updates about this letter');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await unsubscribedAt()).toBe(t.clock.now().getTime());
    expect(await recipients()).toBe(0);
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    expect(await t.one('SELECT status FROM signatures WHERE id = ?', signatureId)).toBe('verified');
    // Again: still 200, and the first time stays recorded.
    t.clock.advance(1000);
    expect((await t.app.inject({ method: 'POST', url, headers, payload })).statusCode).toBe(200);
    expect(await unsubscribedAt()).toBe(t.clock.now().getTime() - 1000);
  });

  it('ignores whatever else the body holds, up to a bound', async () => {
    const odd = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{not json' });
    expect(odd.statusCode).toBe(200);
    const huge = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `x=${'a'.repeat(100_000)}`,
    });
    expect(huge.statusCode).toBe(413);
  });

  it('shows a button on GET and changes nothing (mail scanners follow links)', async () => {
    const page = await t.app.inject(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form method="post" action="${url}">`);
    expect(page.body).toContain('Unsubscribe from these updates');
    expect(page.body).toContain('Fair pay for artists');
    expect(await unsubscribedAt()).toBeNull();
    await t.app.inject({ method: 'POST', url });
    expect((await t.app.inject(url)).body).toContain('You are already unsubscribed');
  });

  it('answers a link that is not ours with a 404 page, never a 500, and changes nothing', async () => {
    const [, mac] = url.split('.');
    const other = new UnsubscribeTokens('another secret of at least thirty-two characters').tokenFor(signatureId);
    const nobody = new UnsubscribeTokens(t.config.SESSION_SECRET).tokenFor(999_999);
    const bad = [
      `/unsubscribe/${signatureId + 1}.${mac}`,
      `/unsubscribe/${other}`,
      `/unsubscribe/${nobody}`,
      `/unsubscribe/${signatureId}`,
      '/unsubscribe/x',
      `/unsubscribe/${'9'.repeat(30)}.${mac}`,
      `/unsubscribe/${'a'.repeat(300)}`,
      `${url}%00`,
    ];
    for (const path of bad) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.app.inject({ method, url: path });
        // An address longer than any route takes is refused as such (414).
        expect([404, 414], `${method} ${path}`).toContain(res.statusCode);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      }
    }
    expect(await unsubscribedAt()).toBeNull();
  });

  it('is limited per IP like the other link routes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await t.app.inject({ method: 'POST', url, remoteAddress: '192.0.2.9' })).statusCode);
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  it('ends when the signer ticks the box again on signing', async () => {
    await t.app.inject({ method: 'POST', url });
    t.clock.advance(120_000);
    await signViaApi(t, 'fair-pay', { name: 'Signer ada', email: 'ada@example.org' });
    expect(await unsubscribedAt()).not.toBeNull();
    await signViaApi(t, 'fair-pay', { name: 'Signer ada', email: 'ada@example.org', updates: true });
    expect(await unsubscribedAt()).toBeNull();
    expect(await recipients()).toBe(1);
  });
});
