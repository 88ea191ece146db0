// Geometry for a cumulative-signatures chart drawn as server-side SVG. Pure: the template only
// places the paths and labels this returns.

export interface ChartBucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  /** Running total at the end of the bucket. */
  cumulative: number;
}

export interface ChartOptions {
  bucketMs: number;
  /** Where the time axis ends (usually now); never before the last bucket's end. */
  until: number;
  width?: number;
  height?: number;
}

export interface CumulativeChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  line: string;
  area: string;
  yTicks: Array<{ y: number; value: number }>;
  xTicks: Array<{ x: number; at: number; anchor: 'start' | 'end' }>;
  from: number;
  until: number;
  total: number;
}

// The plot fills the drawing: the axis labels are HTML beside it (views/partials/signature-chart.eta),
// so they keep a readable size however wide the drawing is shown.
const MARGIN = { left: 0, right: 0, top: 0, bottom: 0 };

/** The smallest 1, 2 or 5 × 10^k at least n: a y-axis maximum people can read. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/** Null when there is nothing to draw. Buckets must be sorted by start. */
export function cumulativeChart(buckets: readonly ChartBucket[], options: ChartOptions): CumulativeChart | null {
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last) return null;
  const width = options.width ?? 640;
  const height = options.height ?? 220;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const from = first.start;
  const until = Math.max(options.until, last.start + options.bucketMs);
  const total = last.cumulative;
  const yMax = niceCeiling(Math.max(...buckets.map((b) => b.cumulative)));

  const x = (t: number) => round(plot.left + ((t - from) / (until - from)) * (plot.right - plot.left));
  const y = (v: number) => round(plot.bottom - (Math.max(0, v) / yMax) * (plot.bottom - plot.top));

  // Flat between buckets, rising across each bucket: the total only moves when people sign.
  const points: Array<[number, number]> = [];
  let previous = 0;
  for (const bucket of buckets) {
    points.push([x(bucket.start), y(previous)], [x(bucket.start + options.bucketMs), y(bucket.cumulative)]);
    previous = bucket.cumulative;
  }
  points.push([x(until), y(total)]);

  const line = `M${points.map(([px, py]) => `${px},${py}`).join(' L')}`;
  const area = `${line} L${x(until)},${plot.bottom} L${x(from)},${plot.bottom} Z`;
  return {
    width,
    height,
    plot,
    line,
    area,
    yTicks: [0, yMax / 2, yMax].filter((v) => Number.isInteger(v)).map((value) => ({ y: y(value), value })),
    xTicks: [
      { x: plot.left, at: from, anchor: 'start' },
      { x: plot.right, at: until, anchor: 'end' },
    ],
    from,
    until,
    total,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
