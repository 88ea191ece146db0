// XML for tests, read by fast-xml-parser (a maintained, independent parser): strict validation
// first (unbalanced tags, bare < or &, bad entities), then a tree with entities decoded, so tests
// compare what any feed reader would see.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: Array<XmlElement | string>;
}

/** Characters XML 1.0 forbids anywhere (the validator does not look for them). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: true,
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function toElement(node: Node): XmlElement | string {
  if ('#text' in node) return String(node['#text']);
  const name = Object.keys(node).find((key) => key !== ':@') as string;
  const children = (node[name] as Node[]).map(toElement);
  return { name, attrs: { ...(node[':@'] ?? {}) }, children };
}

/** The document's root element; throws when the document is not well-formed. */
export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('a character XML forbids');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const roots = (parser.parse(xml) as Node[]).map(toElement).filter((n): n is XmlElement => typeof n !== 'string');
  const [root] = roots;
  if (!root || roots.length !== 1) throw new Error('not exactly one root element');
  return root;
}

/** Every element named `name` under `element`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (typeof child === 'string') continue;
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}

/** The text of an element and its descendants. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
