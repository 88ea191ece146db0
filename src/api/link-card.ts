// The picture a link preview shows (Open Graph / Twitter cards): 1200×630 PNG with the letter's
// title, its collective and the count, in the site's colours. satori lays the text out into SVG
// and resvg rasterizes it: no browser at runtime.
//
// A card is drawn once per (letter, edit, count step), not per signature: readers of a preview
// see "11,000+" move in steps, and a viral letter costs one render per step (see count-step.ts).
// Concurrent requests for the same card share one render.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import { countStep } from '../domain/count-step.js';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** Cards kept in memory: one per letter is enough (older steps are never asked for again). */
const CARDS_KEPT = 200;

// The site's palette (static/css/site.css).
const INK = '#1c1b19';
const PAPER = '#fbfaf6';
const ACCENT = '#8c1c13';
const MUTED = '#4a4843';
const LINE = '#e3dfd5';

const numberFormat = new Intl.NumberFormat('en-GB');

export interface CardFacts {
  title: string;
  collective: string;
  signatureCount: number;
}

/**
 * The count a card shows: exact below 10 (a new letter's first signatures each get a card, at
 * most ten), then its step (see count-step.ts), so every card drawn within a step says the same.
 */
function shownCount(count: number): number {
  return count < 10 ? Math.max(0, Math.floor(count)) : countStep(count);
}

/** What a card depends on: the letter, its last edit and the count shown. Names the card in its URL and ETag. */
export function cardKey(letter: { id: number; updatedAt: Date; signatureCount: number }): string {
  return `${letter.id.toString(36)}-${letter.updatedAt.getTime().toString(36)}-${shownCount(letter.signatureCount).toString(36)}`;
}

/** The count as the card says it: "3 signatures", then the step with a plus ("1,200+ signatures"). */
export function cardCountText(count: number): string {
  const shown = shownCount(count);
  if (count < 10) return `${numberFormat.format(shown)} ${shown === 1 ? 'signature' : 'signatures'}`;
  return `${numberFormat.format(shown)}+ signatures`;
}

type Fonts = Parameters<typeof satori>[1]['fonts'];

let fonts: Promise<Fonts> | null = null;

/** The fonts, read once per process on the first render (satori takes WOFF, not WOFF2). */
function loadFonts(): Promise<Fonts> {
  fonts ??= (async () => {
    const require = createRequire(import.meta.url);
    const file = (pkg: string, name: string) => readFile(join(dirname(require.resolve(`${pkg}/package.json`)), 'files', name));
    const [serif, sans, sansBold] = await Promise.all([
      file('@fontsource/source-serif-4', 'source-serif-4-latin-600-normal.woff'),
      file('@fontsource/inter', 'inter-latin-400-normal.woff'),
      file('@fontsource/inter', 'inter-latin-700-normal.woff'),
    ]);
    return [
      { name: 'Serif', data: serif, weight: 600, style: 'normal' },
      { name: 'Sans', data: sans, weight: 400, style: 'normal' },
      { name: 'Sans', data: sansBold, weight: 700, style: 'normal' },
    ] as Fonts;
  })();
  fonts.catch(() => {
    fonts = null;
  });
  return fonts;
}

// satori takes a React-like element tree; plain objects keep JSX out of the build.
type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node[] | string } };
const el = (type: string, style: Record<string, unknown>, children?: Node[] | string): Node => ({ type, props: { style, children } });

/** A title's size: long titles get smaller type so they fit in four lines. */
function titleSize(title: string): number {
  if (title.length <= 60) return 68;
  if (title.length <= 110) return 56;
  return 44;
}

export async function renderCard(facts: CardFacts): Promise<Buffer> {
  const tree = el(
    'div',
    {
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'space-between',
      backgroundColor: PAPER,
      borderTop: `16px solid ${ACCENT}`,
      padding: '56px 72px 52px',
      fontFamily: 'Sans',
      color: INK,
    },
    [
      el('div', { display: 'flex', flexDirection: 'column', width: '100%' }, [
        el('div', { fontSize: 30, color: MUTED, marginBottom: 24 }, facts.collective),
        el(
          'div',
          { fontFamily: 'Serif', fontWeight: 600, fontSize: titleSize(facts.title), lineHeight: 1.15, lineClamp: 4, display: 'block' },
          facts.title,
        ),
      ]),
      el(
        'div',
        { display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderTop: `2px solid ${LINE}`, paddingTop: 28 },
        [
          el('div', { fontSize: 52, fontWeight: 700, color: ACCENT }, cardCountText(facts.signatureCount)),
          el('div', { fontSize: 30, color: MUTED }, 'Undersigned · open letter'),
        ],
      ),
    ],
  );
  const svg = await satori(tree as unknown as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: await loadFonts(),
  });
  return new Resvg(svg, { fitTo: { mode: 'width', value: CARD_WIDTH } }).render().asPng();
}

/** Cards by key, with renders in flight shared: two readers of a new step cost one render. */
export class CardCache {
  private readonly cards = new Map<string, Promise<Buffer>>();

  constructor(private readonly render: (facts: CardFacts) => Promise<Buffer> = renderCard) {}

  get(key: string, facts: () => Promise<CardFacts>): Promise<Buffer> {
    let card = this.cards.get(key);
    if (!card) {
      card = facts().then((f) => this.render(f));
      this.cards.set(key, card);
      // A failed render is not kept: the next request tries again.
      card.catch(() => this.cards.delete(key));
      if (this.cards.size > CARDS_KEPT) this.cards.delete(this.cards.keys().next().value as string);
    }
    return card;
  }
}
