import { describe, expect, it } from 'vitest';
import { shareLinks } from '../../src/domain/share-links.js';

const letter = { title: 'Fair pay & credit', summary: 'Why we ask.', url: 'https://letters.example/letters/fair-pay' };

describe('shareLinks', () => {
  const byId = Object.fromEntries(shareLinks(letter).map((l) => [l.id, new URL(l.href)]));

  it('offers each network once, with its own share address', () => {
    expect(Object.keys(byId)).toEqual(['mastodon', 'bluesky', 'x', 'facebook', 'linkedin', 'whatsapp', 'email']);
    expect(byId.bluesky?.origin + byId.bluesky!.pathname).toBe('https://bsky.app/intent/compose');
    expect(byId.x?.origin + byId.x!.pathname).toBe('https://x.com/intent/post');
  });

  it('carries the title and the address, encoded', () => {
    expect(byId.mastodon?.origin).toBe('https://mastodonshare.com');
    expect(byId.mastodon?.searchParams.get('text')).toBe('Fair pay & credit');
    expect(byId.mastodon?.searchParams.get('url')).toBe(letter.url);
    expect(byId.bluesky?.searchParams.get('text')).toBe('Fair pay & credit https://letters.example/letters/fair-pay');
    expect(byId.x?.searchParams.get('text')).toBe('Fair pay & credit');
    expect(byId.x?.searchParams.get('url')).toBe(letter.url);
    expect(byId.facebook?.searchParams.get('u')).toBe(letter.url);
    expect(byId.linkedin?.searchParams.get('url')).toBe(letter.url);
    expect(byId.whatsapp?.searchParams.get('text')).toContain(letter.url);
  });

  it('writes a mail with the title as subject and the summary and address as body', () => {
    const mail = shareLinks(letter).find((l) => l.id === 'email')!.href;
    expect(mail.startsWith('mailto:?')).toBe(true);
    const params = new URLSearchParams(mail.slice('mailto:?'.length));
    expect(params.get('subject')).toBe('Fair pay & credit');
    expect(params.get('body')).toBe(`Why we ask.\n\n${letter.url}`);
  });

  it('says what the signer chose to say, when given', () => {
    const links = shareLinks({ ...letter, text: 'I signed "Fair pay & credit".' });
    const x = new URL(links.find((l) => l.id === 'x')!.href);
    expect(x.searchParams.get('text')).toBe('I signed "Fair pay & credit".');
    const mail = links.find((l) => l.id === 'email')!.href;
    expect(new URLSearchParams(mail.slice('mailto:?'.length)).get('body')).toBe(`I signed "Fair pay & credit".\n\n${letter.url}`);
  });
});
