// The arithmetic of counts over time and place, for the API's timeseries and the letter page's
// chart and country bars. Pure: the inputs are counter rows, the outputs plain numbers.

export type Interval = 'hour' | 'day';

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The letter page charts by hour while a letter is this young, by day after. */
const HOURLY_CHART_SPAN_MS = 3 * DAY_MS;

export interface Bucket {
  start: number;
  count: number;
  cumulative: number;
}

export interface CountryShare {
  code: string;
  count: number;
  /** Share of the largest country, 0 to 1, for the bar. */
  scale: number;
}

/** Hour counters folded into UTC hours or days, with the running total. */
export function bucketsOf(hours: ReadonlyArray<{ hour: number; count: number }>, interval: Interval): Bucket[] {
  const size = interval === 'hour' ? HOUR_MS : DAY_MS;
  const buckets: Bucket[] = [];
  let cumulative = 0;
  for (const { hour, count } of hours) {
    const start = hour - (((hour % size) + size) % size);
    cumulative += count;
    const last = buckets[buckets.length - 1];
    if (last && last.start === start) {
      last.count += count;
      last.cumulative = cumulative;
    } else {
      buckets.push({ start, count, cumulative });
    }
  }
  // A day whose signatures were all withdrawn nets to zero: leave it out, as the hours are.
  return buckets.filter((b) => b.count !== 0);
}

/** By hour while the letter's first signature is recent, by day once it is older. */
export function chartInterval(firstHour: number | undefined, now: number): Interval {
  return firstHour !== undefined && now - firstHour <= HOURLY_CHART_SPAN_MS ? 'hour' : 'day';
}

/** The largest countries with bars scaled to the first, what the rest add up to, and who gave none. */
export function countryShares(
  rows: ReadonlyArray<{ key: string; count: number }>,
  total: number,
  shown: number,
): { countries: CountryShare[]; otherCountries: number; noCountry: number } {
  const top = rows.slice(0, shown);
  const largest = top[0]?.count ?? 0;
  const listed = rows.reduce((sum, row) => sum + row.count, 0);
  const inTop = top.reduce((sum, row) => sum + row.count, 0);
  return {
    countries: top.map((row) => ({ code: row.key, count: row.count, scale: largest > 0 ? row.count / largest : 0 })),
    otherCountries: listed - inTop,
    noCountry: Math.max(0, total - listed),
  };
}

/** When anything the public sees of a letter last changed: its text or state, or its count. */
export function lastChangedAt(letter: { updatedAt: Date; countChangedAt: Date | null }): Date {
  return letter.countChangedAt && letter.countChangedAt > letter.updatedAt ? letter.countChangedAt : letter.updatedAt;
}
