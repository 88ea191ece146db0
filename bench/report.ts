// The benchmark's Markdown report (bench/RESULTS.md, and the README's Benchmarks section).

export interface Row {
  what: string;
  measured: string;
  target: string;
  /** null: no target (the bare ceiling). */
  pass: boolean | null;
}

export interface Summary {
  settings: Record<string, unknown>;
  phases: Record<string, unknown>;
  checks: Record<string, unknown>;
  seed?: { rows: number; seconds: number };
  [key: string]: unknown;
}

export function renderTable(rows: Row[]): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  const lines = ['| what | measured | target | result |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    const result = row.pass === null ? '—' : row.pass ? 'pass' : '**miss**';
    lines.push(`| ${cell(row.what)} | ${cell(row.measured)} | ${cell(row.target)} | ${result} |`);
  }
  return lines.join('\n');
}

export function renderResults(
  rows: Row[],
  context: {
    settings: { seconds: number; connections: number; scaleSize: number; scaleRuns: number };
    scaleSeconds: number;
    machine: string;
    date: Date;
    quick: boolean;
  },
): string {
  const { settings } = context;
  return `# Benchmark results

Latest \`npm run bench\`${context.quick ? ' -- --quick' : ''}: ${context.date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${context.machine}.
Every phase: ${settings.connections} connections for ${settings.seconds} s after a 1 s warm-up, all on 127.0.0.1; ratios are
against the bare Fastify route measured in the same run. Scale rows compare the same routes on a letter with
${settings.scaleSize.toLocaleString('en')} verified signatures and one with 1,000 (medians of ${settings.scaleRuns} alternating ${context.scaleSeconds} s runs each).
The machine is shared and noisy: read ratios, not absolute numbers.

${renderTable(rows)}
`;
}
