// The plain-text version of a Markdown text, for the text part of a mail: what a reader of the
// HTML sees, without markup. Links keep their address in brackets (a text mail cannot hide it),
// lists keep their bullets and numbers, and raw HTML stays text, as it does in the HTML part.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: true });

type Token = ReturnType<typeof md.parse>[number];

export function markdownToText(source: string): string {
  const out: string[] = [];
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let quote = 0;
  const line = (text: string) => out.push(...text.split('\n').map((l) => `${'> '.repeat(quote)}${l}`));
  const tokens = md.parse(source, {});
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0) out.push('');
        break;
      case 'blockquote_open':
        quote++;
        break;
      case 'blockquote_close':
        quote--;
        break;
      case 'inline': {
        const text = inlineText(token.children ?? []);
        const list = lists.at(-1);
        const item = (tokens[i - 2] as Token | undefined)?.type === 'list_item_open';
        if (list && item) {
          const marker = list.ordered ? `${list.next++}.` : '-';
          line(`${'  '.repeat(lists.length - 1)}${marker} ${text}`);
        } else {
          line(text);
        }
        break;
      }
      case 'paragraph_close':
      case 'heading_close':
        if (lists.length === 0) out.push('');
        break;
      case 'fence':
      case 'code_block':
        for (const codeLine of token.content.replace(/\n$/, '').split('\n')) line(`    ${codeLine}`);
        out.push('');
        break;
      case 'hr':
        line('----');
        out.push('');
        break;
      default:
        break;
    }
  }
  // Blank lines at either end go; a first line's indentation (code) stays.
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\s+$/g, '')}\n`;
}

function inlineText(children: Token[]): string {
  let text = '';
  let link: { href: string; start: number } | null = null;
  for (const child of children) {
    switch (child.type) {
      case 'text':
      case 'code_inline':
      case 'html_inline':
        text += child.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += '\n';
        break;
      case 'image':
        text += child.content;
        break;
      case 'link_open':
        link = { href: String(child.attrGet('href') ?? ''), start: text.length };
        break;
      case 'link_close':
        // An address written out (linkified, or [x](x)) is not repeated.
        if (link?.href && text.slice(link.start) !== link.href && `mailto:${text.slice(link.start)}` !== link.href) {
          text += ` (${link.href})`;
        }
        link = null;
        break;
      default:
        break;
    }
  }
  return text;
}
