import { describe, expect, it } from 'vitest';
import { markdownToText } from '../../src/domain/markdown-text.js';

describe('the text version of Markdown', () => {
  it.each([
    ['emphasis drops its markers', 'We **delivered** it, *finally*.', 'We delivered it, finally.\n'],
    ['a link keeps its address', 'See [the reply](https://example.org/r).', 'See the reply (https://example.org/r).\n'],
    ['an address is not repeated', 'See https://example.org/r', 'See https://example.org/r\n'],
    ['a mail address is not repeated', 'Write to <team@example.org>', 'Write to team@example.org\n'],
    ['headings and paragraphs are separated', '# News\n\nFirst.\n\nSecond.', 'News\n\nFirst.\n\nSecond.\n'],
    ['lists keep bullets and numbers', '- one\n- two\n\n3. three\n4. four', '- one\n- two\n\n3. three\n4. four\n'],
    ['nested lists are indented', '- one\n  - inner', '- one\n  - inner\n'],
    ['quotes keep their marker on every line', '> a\n> b', '> a\n> b\n'],
    ['code is indented', '```\nx = 1\n```', '    x = 1\n'],
    ['raw HTML stays text', '<b>bold</b> & <script>x</script>', '<b>bold</b> & <script>x</script>\n'],
  ])('%s', (_case, source, text) => {
    expect(markdownToText(source)).toBe(text);
  });
});
