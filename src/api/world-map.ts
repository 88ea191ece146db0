// A world map of signatures by country, as SVG drawn on the server: Natural Earth's 1:110m
// countries (world-atlas) in the Equal Earth projection (d3-geo), shaded by count in a few steps.
// The outlines are projected once per process and kept as path strings; a map is then only a
// fill and a title per country, so drawing one costs string joins.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { countryCodeFromNumeric, countryName } from '../domain/countries.js';
import { xmlText } from '../domain/xml.js';
import { type Translator, translatorFor } from '../i18n/translator.js';

export const MAP_WIDTH = 960;
/** The projection fills the width; this is the height that leaves the world, without Antarctica (checked by a test). */
export const MAP_HEIGHT = 422;
/** Room under the map for the legend, in the standalone SVG. */
const LEGEND_HEIGHT = 44;

/** The shading steps: a lower bound each, lightest first (the site's accent, darkened). */
export const MAP_STEPS: ReadonlyArray<{ from: number; fill: string; label: string }> = [
  { from: 0, fill: '#e6e2d9', label: 'None' },
  { from: 1, fill: '#efb3ab', label: '1–9' },
  { from: 10, fill: '#df9187', label: '10–99' },
  { from: 100, fill: '#c2574a', label: '100–999' },
  { from: 1_000, fill: '#8c1c13', label: '1,000–9,999' },
  { from: 10_000, fill: '#4d0d08', label: '10,000 or more' },
];

export function mapStep(count: number): number {
  let step = 0;
  MAP_STEPS.forEach((s, i) => {
    if (count >= s.from) step = i;
  });
  return step;
}

interface Shape {
  /** Alpha-2, or null for the few areas without an ISO code in the atlas (they are never shaded). */
  code: string | null;
  name: string;
  d: string;
}

let shapes: Shape[] | null = null;

/** The countries' outlines, projected and compacted (compactPath), once per process. */
export function mapShapes(): Shape[] {
  if (shapes) return shapes;
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const all = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  // Antarctica has no signers to show and would take a fifth of the height.
  const land = { ...all, features: all.features.filter((f) => f.id !== '010') };
  const projection = geoEqualEarth().fitWidth(MAP_WIDTH, land);
  const path = geoPath(projection).digits(1);
  shapes = land.features.flatMap((f) => {
    const d = compactPath(path(f) ?? '');
    if (!d) return [];
    const code = typeof f.id === 'string' ? (countryCodeFromNumeric(f.id) ?? null) : null;
    return [{ code, name: code ? countryName(code) : f.properties.name, d }];
  });
  return shapes;
}

/**
 * d3's absolute "M x,y L x,y … Z" as relative moves on whole units, points that round onto the
 * previous one dropped: a unit is a 960th of the map's width (under a CSS pixel at any size the
 * page shows it), and the map is about a third of the size it would be with absolute tenths.
 * Positions are rounded before differencing, so rounding never accumulates along a border.
 */
export function compactPath(d: string): string {
  const out: string[] = [];
  let px = 0;
  let py = 0;
  let drawing = false;
  for (const segment of d.match(/[MLZ][^MLZ]*/g) ?? []) {
    const command = segment[0];
    if (command === 'Z') {
      out.push('z');
      drawing = false;
      continue;
    }
    const [x = 0, y = 0] = segment.slice(1).split(',').map(Number);
    const rx = Math.round(x);
    const ry = Math.round(y);
    if (command === 'M') {
      out.push(`M${rx} ${ry}`);
      drawing = false;
    } else if (rx !== px || ry !== py) {
      // After an "l", further pairs continue the line: the letter is written once per run.
      out.push(`${drawing ? ' ' : 'l'}${rx - px} ${ry - py}`);
      drawing = true;
    }
    px = rx;
    py = ry;
  }
  return out.join('').replace(/ -/g, '-');
}

/**
 * One sentence for screen readers: the total, how many countries, and the three largest, in the
 * translator's language (the page's, for the image's alt text; the file's `?lang`).
 */
export function mapSummary(counts: ReadonlyArray<{ key: string; count: number }>, tr: Translator = translatorFor('en')): string {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return tr.t('site.map.summaryEmpty');
  const top = [...counts]
    .sort((a, b) => b.count - a.count)
    .slice(0, 3)
    .map((c) => tr.t('site.map.topCountry', { country: tr.country(c.key), count: tr.number(c.count) }));
  return tr.t('site.map.summary', { total, countries: counts.length, top: top.join(tr.t('site.list.separator')) });
}

/**
 * The map file for these counts (alpha-2 → count), its countries named by `translator` (English
 * by default), with a legend unless `legend: false`: the letter page shows the file as an image
 * and draws its legend in HTML, readable at a phone's width.
 */
export function renderWorldMap(
  counts: ReadonlyArray<{ key: string; count: number }>,
  options: { legend?: boolean; translator?: Translator } = {},
): string {
  const byCode = new Map(counts.map((c) => [c.key, c.count]));
  const tr = options.translator ?? translatorFor('en');
  const withLegend = options.legend !== false;
  const height = MAP_HEIGHT + (withLegend ? LEGEND_HEIGHT : 0);
  const attrs = [
    'xmlns="http://www.w3.org/2000/svg"',
    'class="world-map"',
    `viewBox="0 0 ${MAP_WIDTH} ${height}"`,
    `width="${MAP_WIDTH}" height="${height}"`,
    'role="img"',
    `aria-label="${xmlText(mapSummary(counts, tr))}"`,
  ];
  const out: string[] = [`<svg ${attrs.join(' ')}>`, `<g stroke="#fbfaf6" stroke-width="0.5" stroke-linejoin="round">`];
  for (const shape of mapShapes()) {
    const count = shape.code ? (byCode.get(shape.code) ?? 0) : 0;
    const fill = (MAP_STEPS[mapStep(count)] as (typeof MAP_STEPS)[number]).fill;
    out.push(
      `<path fill="${fill}" d="${shape.d}"><title>${xmlText(tr.t('site.map.countryTitle', { country: shape.code ? tr.country(shape.code) : shape.name, count, number: tr.number(count) }))}</title></path>`,
    );
  }
  out.push('</g>');
  if (withLegend) out.push(legend());
  out.push('</svg>');
  return out.join('\n');
}

function legend(): string {
  const y = MAP_HEIGHT + 14;
  const parts = ['<g font-family="system-ui, sans-serif" font-size="14" fill="#1c1b19">', `<text x="0" y="${y + 12}">Signatures:</text>`];
  let x = 92;
  for (const step of MAP_STEPS) {
    parts.push(`<rect x="${x}" y="${y}" width="16" height="16" fill="${step.fill}" stroke="#4a4843" stroke-width="0.5"/>`);
    parts.push(`<text x="${x + 22}" y="${y + 12}">${xmlText(step.label)}</text>`);
    x += 30 + step.label.length * 8;
  }
  parts.push('</g>');
  return parts.join('\n');
}
