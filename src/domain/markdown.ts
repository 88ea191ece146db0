// Letter bodies: Markdown rendered by markdown-it, then sanitized with an allow-list, so no
// script, event handler or javascript: link can reach a page whatever an organizer pastes.
//
// The policy, and what the editor tells organizers before they publish (markdownWarnings):
// - images only from https addresses, each with a description (alt text); anything else is
//   left out of the page, and an image without a description is refused by the editor;
// - raw HTML stays disabled: it shows as the text it is;
// - links only to http, https and mailto addresses (others show as plain text);
// - headings from # to ####: # becomes the page's second level (the title is its only h1),
//   ##### and ###### show as ordinary text.
import { createRequire } from 'node:module';
import type { MarkdownIt, default as MarkdownItConstructor, Token } from 'markdown-it';
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
    'img',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], img: ['src', 'alt', 'title', 'loading', 'referrerpolicy'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  // The renderer already leaves out every other image; this holds even if it did not.
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  transformTags: {
    // The letter's title is the page's only h1.
    h1: 'h2',
    h5: 'p',
    h6: 'p',
    a: sanitize.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
    // Images load with the page's reading, not before, and tell their host nothing of the page.
    img: sanitize.simpleTransform('img', { loading: 'lazy', referrerpolicy: 'no-referrer' }),
  },
  // An image whose address the allow-list took away is nothing to show.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
});

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
/** Shown in messages: long enough to recognise, short enough to read. */
const QUOTE_MAX = 60;

function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > QUOTE_MAX ? `${clean.slice(0, QUOTE_MAX - 1)}…` : clean;
}

/** Why an image is left out of the page, or null when it is shown. */
function imageProblem(src: string, alt: string): 'scheme' | 'alt' | null {
  if (!/^https:\/\/[^/]/i.test(src)) return 'scheme';
  if (alt.trim() === '') return 'alt';
  return null;
}

function attr(token: Token, name: string): string {
  return String(token.attrGet(name) ?? '');
}

/** The scheme of an absolute address ("tel:"), or null for a relative one. */
function schemeOf(href: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  return match?.[1] ? `${match[1].toLowerCase()}:` : null;
}

export interface MarkdownWarning {
  code: 'image_scheme' | 'image_alt' | 'raw_html' | 'link_scheme' | 'heading_level';
  message: string;
  /** What the message quotes (a heading, an address, a link's text, a tag), for a message in another language. */
  subject: string;
  /** The editor refuses to save the text as it is (an image without a description). */
  refused: boolean;
}

interface Parsers {
  /** The renderer pages use (raw HTML off). */
  md: MarkdownIt;
  /** The same syntax with raw HTML recognised, only to point at the HTML that shows as text. */
  withHtml: MarkdownIt;
  render: (source: string) => string;
}

/**
 * The parser and the sanitizer, loaded with the first letter rendered (about 10 MB of memory with
 * their dependencies): a process that has shown no letter yet, or serves only the API, never holds them.
 */
let parsers: Parsers | null = null;

function load(): Parsers {
  const Markdown = require('markdown-it') as typeof MarkdownItConstructor;
  const md = new Markdown({ html: false, linkify: true, typographer: true });
  const withHtml = new Markdown({ html: true, linkify: true, typographer: true });
  const image = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, index, opts, env, self) => {
    const token = tokens[index] as Token;
    const alt = self.renderInlineAsText(token.children ?? [], opts, env);
    if (imageProblem(attr(token, 'src'), alt) !== null) return '';
    return image ? image(tokens, index, opts, env, self) : self.renderToken(tokens, index, opts);
  };
  const sanitize = require('sanitize-html') as typeof sanitizeHtml;
  const sanitizeOptions = options(sanitize);
  return { md, withHtml, render: (source) => sanitize(md.render(source), sanitizeOptions) };
}

export function renderMarkdown(source: string): string {
  parsers ??= load();
  return parsers.render(source);
}

/** Every inline token of a parse, children included. */
function* inlineTokens(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    yield token;
    if (token.children) yield* inlineTokens(token.children);
  }
}

/** The first opening tag or comment of a piece of raw HTML ("<div class='x'>"), or null for a closing tag alone. */
function firstTag(html: string): string | null {
  const match = /<[a-z][^>]*>|<!--[\s\S]*?(?:-->|$)|<\/[a-z][^>]*>/i.exec(html)?.[0] ?? html;
  // "</div>" after "<div>" says nothing new.
  return match.startsWith('</') ? null : match;
}

/**
 * What of this text will not be shown as written, and why, each message once (headings, then
 * images and links, then raw HTML): computed from the parsed tokens, so it says exactly what
 * renderMarkdown does.
 */
export function markdownWarnings(source: string): MarkdownWarning[] {
  parsers ??= load();
  const { md, withHtml } = parsers;
  const found = new Map<string, MarkdownWarning>();
  const add = (code: MarkdownWarning['code'], subject: string, message: string, refused = false) => {
    if (!found.has(message)) found.set(message, { code, message, subject, refused });
  };

  const tokens = md.parse(source, {});
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'heading_open' && (token.tag === 'h5' || token.tag === 'h6')) {
      const text = tokens[i + 1]?.content ?? '';
      add('heading_level', quote(text), `The heading ‘${quote(text)}’ will show as ordinary text: use # to #### for headings.`);
    }
  }
  const inline = [...inlineTokens(tokens)];
  for (let i = 0; i < inline.length; i++) {
    const token = inline[i] as Token;
    if (token.type === 'image') {
      const src = attr(token, 'src');
      const alt = md.renderer.renderInlineAsText(token.children ?? [], md.options, {});
      const problem = imageProblem(src, alt);
      if (problem === 'scheme') {
        add('image_scheme', quote(src), `The image ‘${quote(src)}’ will not be shown: only https images are allowed.`);
      } else if (problem === 'alt') {
        add(
          'image_alt',
          quote(src),
          `The image ‘${quote(src)}’ has no description: write one between the brackets, like ![A crowd outside the theatre](${quote(src)}), for people who cannot see it.`,
          true,
        );
      }
    } else if (token.type === 'link_open') {
      const scheme = schemeOf(attr(token, 'href'));
      if (scheme !== null && !LINK_SCHEMES.has(scheme)) {
        const text = inline[i + 1]?.type === 'text' ? (inline[i + 1]?.content ?? '') : attr(token, 'href');
        add(
          'link_scheme',
          quote(text),
          `The link ‘${quote(text)}’ will show as plain text: only http, https and mailto links are allowed.`,
        );
      }
    }
  }
  // Raw HTML is not parsed as HTML here, so ask the parser that would have: what it calls HTML
  // is what shows as text.
  for (const token of inlineTokens(withHtml.parse(source, {}))) {
    const tag = token.type === 'html_block' || token.type === 'html_inline' ? firstTag(token.content) : null;
    if (tag !== null) add('raw_html', quote(tag), `Raw HTML is not allowed: ‘${quote(tag)}’ will appear as text.`);
  }
  return [...found.values()];
}
