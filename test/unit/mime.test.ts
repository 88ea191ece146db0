// Our MIME writer, read back by an independent parser (mailparser): what a mail client sees.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { addressOf, composeMime, type MimeMessage } from '../../src/mail/mime.js';

const base: MimeMessage = {
  from: 'Undersigned <no-reply@undersigned.example>',
  to: 'lena@example.org',
  subject: 'Confirm your signature',
  text: 'Hello Lena,\n\nConfirm: https://undersigned.example/verify/abc\n',
  html: '<p>Hello Lena,</p><p><a href="https://undersigned.example/verify/abc">Confirm</a></p>',
  messageId: '<1234@undersigned.example>',
  boundary: 'b0undary',
  date: new Date('2026-06-01T12:00:00Z'),
};

const parse = (message: Partial<MimeMessage>) => simpleParser(composeMime({ ...base, ...message }));

describe('composeMime', () => {
  it('writes a text and an HTML alternative with the headers a client reads', async () => {
    const mail = await parse({});
    expect(mail.subject).toBe('Confirm your signature');
    expect(mail.from?.value).toEqual([{ name: 'Undersigned', address: 'no-reply@undersigned.example' }]);
    expect(mail.to && 'value' in mail.to ? mail.to.value : null).toEqual([{ name: '', address: 'lena@example.org' }]);
    expect(mail.messageId).toBe('<1234@undersigned.example>');
    expect(mail.date?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(mail.text).toBe(base.text);
    expect(mail.html).toBe(base.html);
  });

  it.each([
    'Confirmez votre signature : Lettre ouverte des artistes',
    'Подтвердите подпись: «Открытое письмо»',
    '署名を確認してください：生成AIの学習に関する声明と、それに続く非常に長い題名の手紙',
    'Sign 🖋️ the letter — “now”',
    `A very long plain subject ${'word '.repeat(60)}`.trim(),
  ])('keeps any subject exactly: %s', async (subject) => {
    expect((await parse({ subject })).subject).toBe(subject);
  });

  it('keeps what quoted-printable must escape: equals signs, trailing spaces, tabs, bare dots', async () => {
    const text = `a=b =3D\ntrailing space \ntab\there\t\n.\n${'é='.repeat(100)}\n`;
    const raw = composeMime({ ...base, text });
    const mail = await simpleParser(raw);
    expect(mail.text).toBe(text);
    for (const line of raw.toString('utf8').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('keeps Unicode bodies and long lines exactly', async () => {
    const text = `Amélie Poulain, 文字, ${'x'.repeat(500)}\n.\nA line that is only a dot above.`;
    const html = `<p>${'Zoë '.repeat(200)}</p>`;
    const mail = await parse({ text, html });
    expect(mail.text).toBe(text);
    expect(mail.html).toBe(html);
  });

  it('encodes a sender name with accents or quotes, and writes an international domain in ASCII', async () => {
    const message = { ...base, from: 'Créateurs "pour" le consentement <info@créateurs.example>', to: 'zoë@bücher.example' };
    const raw = composeMime(message).toString('utf8');
    expect(raw).toContain('<info@xn--crateurs-c1a.example>');
    expect(raw).toContain('To: zoë@xn--bcher-kva.example\r\n');
    const mail = await simpleParser(raw);
    expect(mail.from?.value).toEqual([{ name: 'Créateurs "pour" le consentement', address: 'info@créateurs.example' }]);
    expect(mail.to && 'value' in mail.to ? mail.to.value : null).toEqual([{ name: '', address: 'zoë@bücher.example' }]);
  });

  it('never lets a value start a header of its own', async () => {
    const mail = await parse({ subject: 'Hello\r\nBcc: victim@example.org', headers: { 'X-Note': 'a\nBcc: other@example.org' } });
    expect(mail.subject).toBe('Hello Bcc: victim@example.org');
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.get('x-note')).toBe('a Bcc: other@example.org');
  });

  it('adds further headers and keeps every line within the SMTP limit', async () => {
    const raw = composeMime({ ...base, subject: 'é'.repeat(300), headers: { 'List-Unsubscribe': '<https://undersigned.example/u/abc>' } });
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('é'.repeat(300));
    expect(mail.headers.get('list')).toEqual({ unsubscribe: { url: 'https://undersigned.example/u/abc' } });
    for (const line of raw.toString('utf8').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('writes body lines of at most 76 characters', () => {
    const raw = composeMime({ ...base, text: `${'word '.repeat(300)}\n${'ü'.repeat(300)}`, html: `<p>${'x'.repeat(2000)}</p>` });
    const body = raw.toString('utf8').split('\r\n\r\n').slice(1).join('\r\n\r\n');
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('finds the address in a mailbox', () => {
    expect(addressOf('Undersigned <no-reply@undersigned.example>')).toBe('no-reply@undersigned.example');
    expect(addressOf('bare@example.org')).toBe('bare@example.org');
  });
});
