// Points for a tiny inline-SVG line of daily counts (no chart library: a polyline is enough).
export const SPARK_WIDTH = 100;
export const SPARK_HEIGHT = 28;

/** "x,y x,y …" in a SPARK_WIDTH × SPARK_HEIGHT box, highest day at the top, zero on the baseline. */
export function sparklinePoints(series: number[]): string {
  if (series.length === 0) return '';
  const max = Math.max(1, ...series);
  const step = series.length > 1 ? SPARK_WIDTH / (series.length - 1) : 0;
  const pad = 2; // keep the stroke inside the box
  return series
    .map((value, i) => {
      const x = series.length > 1 ? i * step : SPARK_WIDTH / 2;
      const y = SPARK_HEIGHT - pad - (value / max) * (SPARK_HEIGHT - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;
