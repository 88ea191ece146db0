// A strict little XML reader for tests: throws on anything not well-formed (unbalanced tags,
// raw < or & in text or attributes, unknown entities, characters XML forbids), and returns a
// tree with entities decoded, so tests can compare what a reader would see.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: Array<XmlElement | string>;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (FORBIDDEN.test(raw)) throw new Error(`forbidden character in ${where}`);
  const withoutEntities = raw.replace(ENTITY, '');
  if (withoutEntities.includes('&')) throw new Error(`bare & in ${where}: ${raw.slice(0, 80)}`);
  if (withoutEntities.includes('<')) throw new Error(`bare < in ${where}`);
  return raw.replace(ENTITY, (_m, named: string, dec: string, hex: string) =>
    named ? (NAMED[named] as string) : String.fromCodePoint(Number.parseInt(dec ?? hex, dec ? 10 : 16)),
  );
}

export function parseXml(source: string): XmlElement {
  let s = source.replace(/^\uFEFF/, '');
  s = s.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/<!--[\s\S]*?-->/g, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`, 'y');
  const attr = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt === -1 ? s.length : lt);
    if (text.trim() !== '') {
      if (stack.length === 1) throw new Error('text outside the root element');
      stack[stack.length - 1]!.children.push(decode(text, 'text'));
    }
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(s);
    if (!m) throw new Error(`malformed tag at ${lt}: ${s.slice(lt, lt + 60)}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? '').matchAll(attr)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2] ?? a[3] ?? '', `attribute ${a[1]}`);
      }
      const element: XmlElement = { name: name!, attrs, children: [] };
      if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element');
      stack[stack.length - 1]!.children.push(element);
      if (!selfClosing) stack.push(element);
    }
    i = lt + whole.length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const only = root.children[0];
  if (!only || typeof only === 'string') throw new Error('no root element');
  return only;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (typeof child === 'string') continue;
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}

export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
