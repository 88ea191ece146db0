// The comparison of the stores (bench/RESULTS.md, section "SQLite and PostgreSQL"): each run of
// `npm run bench` saves its summary as bench/summary-<store>-<workers>.json, and every run
// rewrites this section from the summaries there, so it always shows the latest run of each.
//
// Runs happen at different times on a shared machine, so they are compared through the bare
// Fastify route each run measured alongside: a store's rate is its ratio to that run's bare
// route, and PostgreSQL's rate relative to SQLite's is the quotient of those ratios.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Row, renderTable } from './report.js';

const MARKER = '<!-- stores: regenerated from bench/summary-*.json -->';

interface PhaseSummary {
  rps: number;
  ratio: number;
  p99: number;
  cpuMsPerRequest?: { app: number; database: number | null; load?: number };
}

interface SpikeSummary {
  readRps: number;
  readRatio: number;
  signRps: number;
  offeredSignRps?: number;
}

interface RunSummary {
  /** 2: the app as production runs it, mail all along, the spike with readers and signers apart. */
  format?: number;
  date?: string;
  quick?: boolean;
  settings: { store: string; workers: number };
  phases: Record<string, PhaseSummary | undefined>;
  /** The spike with readers and signers apart (format 2; before, the old method's). */
  spike: SpikeSummary | null;
  /** The old method: every connection sends nine reads then a signing (format 2). */
  mixed?: SpikeSummary | null;
  memory?: { rssEndMb: number };
  correct: boolean;
}

/** Summaries written before format 2 knew only the old spike, under the names the new one has now. */
const current = (run: RunSummary | undefined) => (run?.format ?? 1) >= 2;
const phaseOf = (run: RunSummary | undefined, phase: string): PhaseSummary | undefined => {
  if (current(run)) return run?.phases[phase];
  if (phase === 'mixed') return run?.phases.spike;
  return phase === 'spike' ? undefined : run?.phases[phase];
};
const mixedOf = (run: RunSummary | undefined) => (current(run) ? run?.mixed : run?.spike);
const apartOf = (run: RunSummary | undefined) => (current(run) ? run?.spike : null);

const CONFIGS = [
  { key: 'sqlite-1', label: 'SQLite, 1 process' },
  { key: 'postgres-1', label: 'PostgreSQL, 1 process' },
  { key: 'postgres-2', label: 'PostgreSQL, 2 processes' },
] as const;

type Key = (typeof CONFIGS)[number]['key'];

export function summaryFile(store: string, workers: number): URL {
  return new URL(`./summary-${store}-${workers}.json`, import.meta.url);
}

function readSummaries(): Partial<Record<Key, RunSummary>> {
  const found: Partial<Record<Key, RunSummary>> = {};
  for (const { key } of CONFIGS) {
    const [store, workers] = key.split('-') as [string, string];
    const file = summaryFile(store, Number(workers));
    if (existsSync(file)) found[key] = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
  }
  return found;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ratio = (n: number) => `${n.toFixed(2)}×`;

export function renderStores(runs: Partial<Record<Key, RunSummary>>): string {
  const sqlite = runs['sqlite-1'];
  const header = ['what', ...CONFIGS.map((c) => c.label)];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  const cell = (run: RunSummary | undefined, phase: string) => {
    const p = phaseOf(run, phase);
    if (!p) return '—';
    const cpu = p.cpuMsPerRequest;
    const cpuText = cpu
      ? `; CPU/request app ${cpu.app.toFixed(2)} ms${cpu.database === null ? '' : `, db ${cpu.database.toFixed(2)} ms`}` +
        (cpu.load === undefined ? '' : `, load ${cpu.load.toFixed(2)} ms`)
      : '';
    return `${fmt(p.rps)}/s (${ratio(p.ratio)} bare), p99 ${p.p99} ms${cpuText}`;
  };
  const names: Record<string, string> = {
    count: 'count JSON',
    letter: 'letter JSON',
    page: 'letter page',
    sign: 'sign',
    verify: 'verify',
    mixed: 'mixed spike, old method (all requests)',
    spike: 'spike, readers and signers apart (all requests)',
  };
  for (const [phase, name] of Object.entries(names)) {
    lines.push(`| ${name} | ${CONFIGS.map((c) => cell(runs[c.key], phase)).join(' | ')} |`);
  }
  const spikeCell = (s: SpikeSummary | null | undefined) =>
    s
      ? `${fmt(s.readRps)}/s (${ratio(s.readRatio)} bare), signing ${fmt(s.signRps)}/s${s.offeredSignRps ? ` of ${fmt(s.offeredSignRps)}/s offered` : ''}`
      : '—';
  lines.push(`| mixed spike, old method: reads | ${CONFIGS.map((c) => spikeCell(mixedOf(runs[c.key]))).join(' | ')} |`);
  lines.push(`| spike, readers and signers apart: reads | ${CONFIGS.map((c) => spikeCell(apartOf(runs[c.key]))).join(' | ')} |`);
  lines.push(
    `| app RSS at the end | ${CONFIGS.map((c) => (runs[c.key]?.memory ? `${runs[c.key]?.memory?.rssEndMb} MB` : '—')).join(' | ')} |`,
  );
  lines.push(
    `| run | ${CONFIGS.map((c) => {
      const r = runs[c.key];
      return r ? `${r.date?.slice(0, 16).replace('T', ' ') ?? '?'}${r.quick ? ', quick' : ''}` : 'not run yet';
    }).join(' | ')} |`,
  );

  // The targets, each a quotient of bare-relative ratios (see the top of this file).
  const rows: Row[] = [];
  const relative = (run: RunSummary | undefined, phase: string): number | null => {
    const a = phaseOf(run, phase);
    const b = phaseOf(sqlite, phase);
    return a && b && b.ratio > 0 ? a.ratio / b.ratio : null;
  };
  for (const key of ['postgres-1', 'postgres-2'] as const) {
    const r = relative(runs[key], 'sign');
    rows.push({
      what: `signing on ${CONFIGS.find((c) => c.key === key)?.label}, relative to SQLite`,
      measured: r === null ? 'not measured' : ratio(r),
      target: '≥ 0.7×',
      pass: r === null ? null : r >= 0.7,
    });
  }
  for (const phase of ['count', 'letter', 'page'] as const) {
    const r = relative(runs['postgres-2'], phase);
    rows.push({
      what: `${names[phase]} with 2 processes, relative to SQLite's 1`,
      measured: r === null ? 'not measured' : ratio(r),
      target: '≥ 1.0×',
      pass: r === null ? null : r >= 1.0,
    });
  }
  const twoSpike = apartOf(runs['postgres-2']);
  const oneSpike = apartOf(sqlite);
  const spikeRatio = twoSpike && oneSpike ? twoSpike.readRatio / oneSpike.readRatio : null;
  rows.push({
    what: "reads during the spike (readers and signers apart) with 2 processes, relative to SQLite's",
    measured: spikeRatio === null ? 'not measured' : ratio(spikeRatio),
    target: '≥ 1.5×',
    pass: spikeRatio === null ? null : spikeRatio >= 1.5,
  });
  const measured = CONFIGS.filter((c) => runs[c.key]);
  rows.push({
    what: 'every 2xx signing stored, counters equal to a recount',
    measured: measured.map((c) => `${c.label}: ${runs[c.key]?.correct ? 'yes' : '**no**'}`).join('; '),
    target: 'always',
    pass: measured.length === 0 ? null : measured.every((c) => runs[c.key]?.correct),
  });

  return `${MARKER}
## SQLite and PostgreSQL

The same phases on each store, from the latest run of each (\`npm run bench\`,
\`npm run bench -- --store postgres --workers 1\`, \`… --workers 2\`). PostgreSQL runs on this
machine, so its processes share the same two cores with the app and the load generator (autocannon,
in the benchmark's process): "db" and "load" are their CPU time per request. Comparisons between
runs go through each run's bare route. Runs from before the benchmark measured the production
build with mail flowing (summaries without \`"format": 2\`) have only the old spike method.

${lines.join('\n')}

${renderTable(rows)}
`;
}

/** Saves this run's summary and rewrites the stores section of RESULTS.md from all of them. */
export function recordRun(resultsFile: URL | string, store: string, workers: number, summary: object): void {
  writeFileSync(summaryFile(store, workers), `${JSON.stringify(summary, null, 2)}\n`);
  const current = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmark results\n';
  const head = current.includes(MARKER) ? current.slice(0, current.indexOf(MARKER)).trimEnd() : current.trimEnd();
  writeFileSync(resultsFile, `${head}\n\n${renderStores(readSummaries())}`);
}
