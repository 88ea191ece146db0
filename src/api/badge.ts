// An SVG badge, "1,234 signatures", sized for its text: the geometry here, the markup in
// views/badges/count.eta (which escapes every text). The route adds caching.
import type { Eta } from 'eta';
import { xmlText } from '../domain/xml.js';

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
export function renderBadge(eta: Eta, count: number, title: string): Badge {
  const value = numberFormat.format(count);
  const label = count === 1 ? 'signature' : 'signatures';
  const valueWidth = textWidth(value);
  const labelWidth = textWidth(label);
  const left = valueWidth + 2 * PADDING;
  const right = labelWidth + 2 * PADDING;
  const width = left + right;
  // Presentation attributes only: no style="", which the site's CSP would refuse.
  const svg = eta.render('badges/count', {
    width,
    height: HEIGHT,
    left,
    right,
    value,
    label,
    valueWidth,
    labelWidth,
    name: `${title}: ${value} ${label}`,
    font: FONT,
    countFill: COUNT_FILL,
    labelFill: LABEL_FILL,
    xml: xmlText,
  });
  return { svg: svg.trim(), width };
}
