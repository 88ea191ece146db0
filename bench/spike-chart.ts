// The sustained spike as a picture (bench/spike.svg, shown in bench/RESULTS.md): one panel per
// measure, time on a shared x axis. Plain SVG, no scripts and no web fonts, so GitHub shows it as
// an image; a white background keeps it readable in dark mode; colours from the Okabe-Ito
// palette, which colour-blind readers can tell apart.

/** One second of the sustained spike. */
export interface SpikeSecond {
  /** Seconds since the spike began (the end of this second). */
  t: number;
  /** The second's bounds, ms since the epoch. */
  from: number;
  to: number;
  reads: number;
  signings: number;
  /** Mail the SMTP sink accepted in this second. */
  mails: number;
  /** The outbox's depth sampled at the end of this second. */
  depth: number;
  /** p99 latency (ms) from 2xx to SMTP of the mail of this second's signings; null if none was signed. */
  mailP99: number | null;
}

interface Series {
  label: string;
  colour: string;
  values: Array<number | null>;
  dashed?: boolean;
}

interface Panel {
  title: string;
  unit: string;
  series: Series[];
  /** A horizontal reference line (a target). */
  reference?: { value: number; label: string };
}

const WIDTH = 960;
const LEFT = 88;
const RIGHT = 24;
const PANEL_HEIGHT = 150;
const PANEL_GAP = 78;
const TOP = 100;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const INK = '#222222';
const GRID = '#d9d9d9';

const xmlEscape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const num = (n: number) => Number(n.toFixed(1)).toString();

/** A round step for an axis up to `value` with at most four gridlines above zero: 1, 2, 2.5 or 5 × a power of ten. */
export function niceStep(value: number): number {
  if (!(value > 0)) return 1;
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const step of [1, 2, 2.5, 5]) if (step * power >= rough) return step * power;
  return 10 * power;
}

const label = (n: number) => n.toLocaleString('en');

function renderPanel(panel: Panel, index: number, times: number[], duration: number): string {
  const top = TOP + index * (PANEL_HEIGHT + PANEL_GAP);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const all = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const highest = Math.max(...all, panel.reference?.value ?? 0, 0);
  const yStep = niceStep(highest);
  const lines = Math.max(1, Math.ceil(highest / yStep));
  const max = yStep * lines;
  const x = (t: number) => LEFT + (t / duration) * plotWidth;
  const y = (v: number) => top + PANEL_HEIGHT - (v / max) * PANEL_HEIGHT;
  const out: string[] = [];
  out.push(`<text x="${LEFT}" y="${top - 30}" font-size="15" font-weight="bold" fill="${INK}">${xmlEscape(panel.title)}</text>`);
  // Legend, right-aligned above the plot.
  let legendX = WIDTH - RIGHT;
  for (const s of [...panel.series].reverse()) {
    const width = 34 + s.label.length * 7.4;
    legendX -= width;
    out.push(
      `<line x1="${num(legendX)}" y1="${top - 14}" x2="${num(legendX + 22)}" y2="${top - 14}" stroke="${s.colour}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${num(legendX + 28)}" y="${top - 9}" font-size="13" fill="${INK}">${xmlEscape(s.label)}</text>`,
    );
  }
  // Grid and y axis, one line a step.
  for (let i = 0; i <= lines; i++) {
    const v = yStep * i;
    out.push(
      `<line x1="${LEFT}" y1="${num(y(v))}" x2="${WIDTH - RIGHT}" y2="${num(y(v))}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${LEFT - 8}" y="${num(y(v) + 4)}" font-size="12" text-anchor="end" fill="${INK}">${label(v)}</text>`,
    );
  }
  out.push(
    `<text transform="translate(${LEFT - 60} ${top + PANEL_HEIGHT / 2}) rotate(-90)" font-size="13" text-anchor="middle" fill="${INK}">${xmlEscape(panel.unit)}</text>`,
  );
  // x axis: a tick every 5 or 10 seconds.
  const step = duration > 30 ? 10 : 5;
  for (let t = 0; t <= duration + 1e-9; t += step) {
    out.push(
      `<line x1="${num(x(t))}" y1="${top + PANEL_HEIGHT}" x2="${num(x(t))}" y2="${top + PANEL_HEIGHT + 5}" stroke="${INK}"/>`,
      `<text x="${num(x(t))}" y="${top + PANEL_HEIGHT + 19}" font-size="12" text-anchor="middle" fill="${INK}">${t} s</text>`,
    );
  }
  out.push(`<line x1="${LEFT}" y1="${top + PANEL_HEIGHT}" x2="${WIDTH - RIGHT}" y2="${top + PANEL_HEIGHT}" stroke="${INK}"/>`);
  if (panel.reference) {
    const ry = num(y(panel.reference.value));
    out.push(
      `<line x1="${LEFT}" y1="${ry}" x2="${WIDTH - RIGHT}" y2="${ry}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="2 4"/>`,
      `<text x="${LEFT + 6}" y="${Number(ry) - 5}" font-size="12" fill="${INK}">${xmlEscape(panel.reference.label)}</text>`,
    );
  }
  // Each series as a line broken where a second has no value.
  for (const s of panel.series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${num(x(times[i] as number))} ${num(y(v))} `;
      pen = true;
    });
    out.push(
      `<path d="${d.trim()}" fill="none" stroke="${s.colour}" stroke-width="2.5" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
  }
  return out.join('\n  ');
}

/** The chart of a sustained spike, as a standalone SVG document. */
export function spikeChart(seconds: SpikeSecond[], context: { title: string; description: string; offeredSignRate: number }): string {
  const times = seconds.map((s) => s.t);
  const duration = Math.max(1, ...times);
  const panels: Panel[] = [
    {
      title: 'Reads answered per second (count and letter JSON)',
      unit: 'reads / s',
      series: [{ label: 'reads', colour: '#0072B2', values: seconds.map((s) => s.reads) }],
    },
    {
      title: `Signings answered 2xx per second (offered ${context.offeredSignRate.toLocaleString('en')}/s), and mail accepted by SMTP`,
      unit: 'per second',
      series: [
        { label: 'signings', colour: '#E69F00', values: seconds.map((s) => s.signings) },
        { label: 'mail delivered', colour: '#009E73', values: seconds.map((s) => s.mails), dashed: true },
      ],
    },
    {
      title: 'Outbox depth (mail queued, sampled each second)',
      unit: 'messages',
      series: [{ label: 'queued', colour: '#CC79A7', values: seconds.map((s) => s.depth) }],
    },
    {
      title: 'Mail latency, 2xx → accepted by SMTP: p99 of each second’s signings',
      unit: 'seconds',
      series: [{ label: 'p99', colour: '#D55E00', values: seconds.map((s) => (s.mailP99 === null ? null : s.mailP99 / 1000)) }],
      reference: { value: 5, label: 'target: ≤ 5 s' },
    },
  ];
  const height = TOP + panels.length * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP + 44;
  const body = panels.map((p, i) => renderPanel(p, i, times, duration)).join('\n  ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc" ${FONT}>
  <title id="title">${xmlEscape(context.title)}</title>
  <desc id="desc">${xmlEscape(context.description)}</desc>
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="${LEFT}" y="30" font-size="18" font-weight="bold" fill="${INK}">${xmlEscape(context.title)}</text>
  ${body}
  <text x="${LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="${height - 10}" font-size="13" text-anchor="middle" fill="${INK}">time since the spike began (seconds)</text>
</svg>
`;
}
