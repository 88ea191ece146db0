import { describe, expect, it } from 'vitest';
import { markdownWarnings, renderMarkdown } from '../../src/domain/markdown.js';

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('# Title\n\nWe ask for **fair pay**.\n\n- one\n- two\n\n[site](https://example.org)');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<strong>fair pay</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>');
  });

  // Hostile input may survive as harmless, escaped text; it must never become markup.
  const DANGEROUS_TAG = /<\s*(script|img|svg|iframe|object|embed|style|math|form|input)\b/i;
  const HANDLER_OR_STYLE = /<[^>]*\s(on[a-z]+|style)\s*=/i;
  const BAD_HREF = /href\s*=\s*["']?\s*(javascript|vbscript|data):/i;

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an inline handler', '<img src=x onerror=alert(1)>'],
    ['a javascript: link', '[click](javascript:alert(1))'],
    ['an encoded javascript: link', '[click](jav&#x61;script:alert(1))'],
    ['a data: link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a vbscript: link', '[click](vbscript:msgbox(1))'],
    ['an SVG payload', '<svg onload=alert(1)><script>alert(1)</script></svg>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
    ['an autolinked javascript URL', 'javascript:alert(1)'],
    ['a reference-style javascript link', '[x][1]\n\n[1]: javascript:alert(1)'],
    ['an attribute breakout in a link title', '[x](https://example.org "a" onmouseover="alert(1)")'],
  ])('neutralises %s', (_, source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(DANGEROUS_TAG);
    expect(html).not.toMatch(HANDLER_OR_STYLE);
    expect(html).not.toMatch(BAD_HREF);
  });
});

describe('images', () => {
  it('shows an https image with its description, lazily and without a referrer', () => {
    expect(renderMarkdown('![A crowd outside](https://img.example/crowd.jpg "The march")')).toBe(
      '<p><img src="https://img.example/crowd.jpg" alt="A crowd outside" title="The march" loading="lazy" referrerpolicy="no-referrer" /></p>\n',
    );
  });

  it.each([
    ['an http image', '![A crowd](http://img.example/a.png)'],
    ['a relative image', '![A crowd](a.png)'],
    ['a protocol-relative image', '![A crowd](//img.example/a.png)'],
    ['a data: image', '![A crowd](data:image/png;base64,AAAA)'],
    ['an image without a description', '![](https://img.example/a.png)'],
    ['an image described only by spaces', '![  ](https://img.example/a.png)'],
  ])('leaves out %s', (_, source) => {
    expect(renderMarkdown(source)).not.toContain('<img');
  });

  it('keeps a description that tries to break out of its attribute as text', () => {
    const html = renderMarkdown('![a" onerror="alert(1)](https://img.example/a.png)');
    expect(html).toContain('alt="a&quot; onerror=&quot;alert(1)"');
    const attributes = [...(/<img([^>]*)>/.exec(html)?.[1] ?? '').matchAll(/\s([a-z-]+)="[^"]*"/g)].map((m) => m[1]);
    expect(attributes).toEqual(['src', 'alt', 'loading', 'referrerpolicy']);
  });
});

describe('markdownWarnings', () => {
  it('has nothing to say about ordinary Markdown', () => {
    expect(markdownWarnings('# Title\n\nWe ask for **fair pay**. [More](https://example.org) or [mail us](mailto:a@example.org).')).toEqual(
      [],
    );
    expect(markdownWarnings('![A crowd outside](https://img.example/crowd.jpg)')).toEqual([]);
  });

  it.each([
    ['![A crowd](x.png)', 'image_scheme', 'The image ‘x.png’ will not be shown: only https images are allowed.', false],
    [
      '![A crowd](http://img.example/a.png)',
      'image_scheme',
      'The image ‘http://img.example/a.png’ will not be shown: only https images are allowed.',
      false,
    ],
    [
      '![](https://img.example/a.png)',
      'image_alt',
      'The image ‘https://img.example/a.png’ has no description: write one between the brackets, like ![A crowd outside the theatre](https://img.example/a.png), for people who cannot see it.',
      true,
    ],
    ['<div class="box">Hello</div>', 'raw_html', 'Raw HTML is not allowed: ‘<div class="box">’ will appear as text.', false],
    ['Some <b>bold</b> words', 'raw_html', 'Raw HTML is not allowed: ‘<b>’ will appear as text.', false],
    ['Hidden <!-- note --> here', 'raw_html', 'Raw HTML is not allowed: ‘<!-- note -->’ will appear as text.', false],
    [
      '[Call us](tel:+441234567)',
      'link_scheme',
      'The link ‘Call us’ will show as plain text: only http, https and mailto links are allowed.',
      false,
    ],
    ['##### Fine print', 'heading_level', 'The heading ‘Fine print’ will show as ordinary text: use # to #### for headings.', false],
  ] as const)('warns about %s', (source, code, message, refused) => {
    // The subject is what the message quotes, so each language can word the warning around it.
    const subject = /‘(.+?)’/.exec(message)?.[1];
    expect(markdownWarnings(source)).toEqual([{ code, message, refused, subject }]);
  });

  it('says each thing once, and matches what is rendered', () => {
    const source = '<span>a</span> <span>b</span>\n\n![x](x.png) ![x](x.png)';
    expect(markdownWarnings(source).map((w) => w.message)).toEqual([
      'The image ‘x.png’ will not be shown: only https images are allowed.',
      'Raw HTML is not allowed: ‘<span>’ will appear as text.',
    ]);
    const html = renderMarkdown(source);
    expect(html).toContain('&lt;span&gt;a&lt;/span&gt;');
    expect(html).not.toContain('<img');
  });

  it('shortens what it quotes', () => {
    const src = `https://img.example/${'a'.repeat(200)}.png`;
    const [warning] = markdownWarnings(`![](${src})`);
    expect(warning!.message).toContain('https://img.example/aaaaaaaa');
    expect(warning!.message).toContain('…');
    expect(warning!.message.length).toBeLessThan(300);
  });
});
