// Letter bodies: Markdown rendered by markdown-it, then sanitized with an allow-list, so no
// script, event handler or javascript: link can reach a page whatever an organizer pastes.
import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';

const require = createRequire(import.meta.url);

const options = (sanitize: typeof sanitizeHtml): sanitizeHtml.IOptions => ({
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'blockquote',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'a',
    'code',
    'pre',
    's',
    'sup',
    'sub',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    // The letter's title is the page's only h1.
    h1: 'h2',
    a: sanitize.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
  },
});

/**
 * The parser and the sanitizer, loaded with the first letter rendered (about 10 MB of memory with
 * their dependencies): a process that has shown no letter yet, or serves only the API, never holds them.
 */
let render: ((source: string) => string) | null = null;

function load(): (source: string) => string {
  const md = new (require('markdown-it') as typeof MarkdownIt)({ html: false, linkify: true, typographer: true });
  const sanitize = require('sanitize-html') as typeof sanitizeHtml;
  const sanitizeOptions = options(sanitize);
  return (source) => sanitize(md.render(source), sanitizeOptions);
}

export function renderMarkdown(source: string): string {
  render ??= load();
  return render(source);
}
