// Pure pieces of the press read models: buckets, the chart, the badge, XML escaping, the feed,
// and the docs page's signing example (the one example not asked of the site: it must fit the
// route's own schemas).
import { describe, expect, it } from 'vitest';
import { atomFeed } from '../../src/api/atom-feed.js';
import { renderBadge, textWidth } from '../../src/api/badge.js';
import { SIGNING_EXAMPLE } from '../../src/api/docs-examples.js';
import { signatureAccepted } from '../../src/api/schemas.js';
import { cumulativeChart, niceCeiling } from '../../src/domain/cumulative-chart.js';
import { bucketsOf } from '../../src/domain/signature-series.js';
import { xmlText } from '../../src/domain/xml.js';
import { signatureInputSchema } from '../../src/signatures/signature-input.js';
import { createEta } from '../../src/views.js';
import { findAll, parseXml, textOf } from '../helpers/xml.js';

const H = 3600_000;
const D = 24 * H;
const day0 = Date.UTC(2026, 5, 1);

describe('bucketsOf', () => {
  const hours = [
    { hour: day0 + 1 * H, count: 2 },
    { hour: day0 + 5 * H, count: 1 },
    { hour: day0 + D + 3 * H, count: 4 },
    { hour: day0 + 2 * D, count: -1 },
    { hour: day0 + 2 * D + H, count: 1 },
  ];
  it('keeps hours as they are, with the running total', () => {
    expect(bucketsOf(hours, 'hour').map((b) => [b.start - day0, b.count, b.cumulative])).toEqual([
      [1 * H, 2, 2],
      [5 * H, 1, 3],
      [D + 3 * H, 4, 7],
      [2 * D, -1, 6],
      [2 * D + H, 1, 7],
    ]);
  });
  it('folds hours into UTC days and leaves out days that net to zero', () => {
    expect(bucketsOf(hours, 'day').map((b) => [b.start - day0, b.count, b.cumulative])).toEqual([
      [0, 3, 3],
      [D, 4, 7],
    ]);
  });
  it('is empty without hours', () => {
    expect(bucketsOf([], 'day')).toEqual([]);
  });
});

describe('cumulativeChart', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [10, 10],
    [11, 20],
    [999, 1000],
    [12_873, 20_000],
  ])('niceCeiling(%i) = %i', (n, expected) => {
    expect(niceCeiling(n)).toBe(expected);
  });

  it('draws a line that only rises, inside the plot', () => {
    const buckets = bucketsOf(
      [
        { hour: day0, count: 3 },
        { hour: day0 + 2 * D, count: 10 },
        { hour: day0 + 5 * D, count: 1 },
      ],
      'day',
    );
    const chart = cumulativeChart(buckets, { bucketMs: D, until: day0 + 7 * D })!;
    expect(chart.total).toBe(14);
    expect(chart.yTicks.map((t) => t.value)).toEqual([0, 10, 20]);
    const points = [...chart.line.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    for (const [x, y] of points) {
      expect(x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(x).toBeLessThanOrEqual(chart.plot.right);
      expect(y).toBeGreaterThanOrEqual(chart.plot.top);
      expect(y).toBeLessThanOrEqual(chart.plot.bottom);
    }
    for (let i = 1; i < points.length; i++) {
      expect(points[i]![0]).toBeGreaterThanOrEqual(points[i - 1]![0]);
      expect(points[i]![1]).toBeLessThanOrEqual(points[i - 1]![1]);
    }
    expect(points[0]).toEqual([chart.plot.left, chart.plot.bottom]);
    expect(points.at(-1)![0]).toBe(chart.plot.right);
    expect(chart.area.endsWith('Z')).toBe(true);
  });

  it('handles a single bucket and nothing at all', () => {
    expect(cumulativeChart([], { bucketMs: H, until: day0 })).toBeNull();
    const one = cumulativeChart([{ start: day0, cumulative: 1 }], { bucketMs: H, until: day0 })!;
    expect(one.until).toBe(day0 + H);
    expect(one.line).not.toContain('NaN');
  });
});

describe('textWidth and renderBadge', () => {
  it('measures digits and separators, and any other character generously', () => {
    expect(textWidth('1,000')).toBe(32);
    expect(textWidth('W')).toBeGreaterThanOrEqual(7);
    expect(textWidth('')).toBe(0);
  });
  it('escapes the title in both places it appears', () => {
    const { svg } = renderBadge(createEta(), 5, '<b>"Hi" & \'bye\'</b>');
    const doc = parseXml(svg);
    expect(doc.attrs['aria-label']).toBe('<b>"Hi" & \'bye\'</b>: 5 signatures');
    expect(textOf(findAll(doc, 'title')[0]!)).toBe('<b>"Hi" & \'bye\'</b>: 5 signatures');
  });
});

describe('xmlText', () => {
  it('drops what XML forbids and keeps everything else (the templates escape markup)', () => {
    expect(xmlText(`<a href="x">'&'</a>`)).toBe(`<a href="x">'&'</a>`);
    expect(xmlText('a\u0000b\u0008c\u000Bd\uFFFEe\uD800f')).toBe('abcdef');
    expect(xmlText('tab\tnew\nline é 😀')).toBe('tab\tnew\nline é 😀');
  });
});

describe('atomFeed', () => {
  it('writes a well-formed feed whose texts read back exactly', () => {
    const xml = atomFeed(createEta(), {
      siteUrl: 'https://example.org',
      selfUrl: 'https://example.org/letters.atom',
      title: 'Letters & more',
      fallbackUpdated: new Date(0),
      entries: [
        {
          url: 'https://example.org/letters/a?x=1&y=2',
          title: ']]> <![CDATA[ "quoted" </title>',
          summary: 'Less < more & so on\u0000',
          author: 'Café & Co',
          published: new Date(day0),
          updated: new Date(day0 + H),
          closed: false,
        },
      ],
    });
    const feed = parseXml(xml);
    expect(textOf(findAll(feed, 'updated')[0]!)).toBe(new Date(day0 + H).toISOString());
    const entry = findAll(feed, 'entry')[0]!;
    expect(textOf(findAll(entry, 'title')[0]!)).toBe(']]> <![CDATA[ "quoted" </title>');
    expect(findAll(entry, 'link')[0]!.attrs.href).toBe('https://example.org/letters/a?x=1&y=2');
    expect(textOf(findAll(entry, 'name')[0]!)).toBe('Café & Co');
    expect(textOf(findAll(entry, 'summary')[0]!)).toBe('Less < more & so on');
  });
});

describe('the signing example on the docs page', () => {
  it('is a body the signing route accepts, and the answer it documents', () => {
    expect(signatureInputSchema.safeParse(SIGNING_EXAMPLE.body).success).toBe(true);
    expect(() => signatureAccepted.parse(SIGNING_EXAMPLE.answer)).not.toThrow();
  });
});
