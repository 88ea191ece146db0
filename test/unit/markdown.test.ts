import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/domain/markdown.js';

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
