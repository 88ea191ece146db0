// An SVG badge, "1,234 signatures", sized for its text. Pure: the route adds caching.
import { escapeXml } from '../domain/xml.js';

const HEIGHT = 20;
const PADDING = 6;
const FONT = 'Verdana,Geneva,DejaVu Sans,sans-serif';
/** Advance widths of Verdana at 11px, for the characters a badge uses; others get the widest. */
const WIDTHS: Record<string, number> = {
  '0': 7,
  '1': 7,
  '2': 7,
  '3': 7,
  '4': 7,
  '5': 7,
  '6': 7,
  '7': 7,
  '8': 7,
  '9': 7,
  ',': 4,
  ' ': 3.9,
  a: 6.7,
  e: 6.8,
  g: 6.9,
  i: 3.1,
  n: 7,
  r: 4.9,
  s: 5.9,
  t: 4.4,
  u: 7,
};
const FALLBACK_WIDTH = 8;
const COUNT_FILL = '#8c1c13';
const LABEL_FILL = '#4a4843';

const numberFormat = new Intl.NumberFormat('en-GB');

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDTHS[char] ?? FALLBACK_WIDTH;
  return Math.ceil(width);
}

export interface Badge {
  svg: string;
  width: number;
}

/** `title` names the letter for screen readers; the count is drawn, and announced with it. */
export function renderBadge(count: number, title: string): Badge {
  const value = numberFormat.format(count);
  const label = count === 1 ? 'signature' : 'signatures';
  const valueWidth = textWidth(value);
  const labelWidth = textWidth(label);
  const left = valueWidth + 2 * PADDING;
  const right = labelWidth + 2 * PADDING;
  const width = left + right;
  const name = escapeXml(`${title}: ${value} ${label}`);
  // Presentation attributes only: no style="", which the site's CSP would refuse.
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${name}">` +
    `<title>${name}</title>` +
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${left}" height="${HEIGHT}" fill="${COUNT_FILL}"/>` +
    `<rect x="${left}" width="${right}" height="${HEIGHT}" fill="${LABEL_FILL}"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="${FONT}" font-size="11">` +
    `<text x="${left / 2}" y="14" textLength="${valueWidth}" lengthAdjust="spacingAndGlyphs">${value}</text>` +
    `<text x="${left + right / 2}" y="14" textLength="${labelWidth}" lengthAdjust="spacingAndGlyphs">${label}</text>` +
    `</g></svg>`;
  return { svg, width };
}
