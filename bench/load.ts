// autocannon, bounded: every run has a hard deadline on top of its duration. Latencies are
// recorded per response (not from autocannon's per-run histogram), so several short runs of one
// phase merge into exact percentiles, and a mixed run can be split by kind of request.
import autocannon, { type Client, type Options } from 'autocannon';

export interface LoadOptions extends Omit<Options, 'duration' | 'amount' | 'setupClient'> {
  seconds: number;
  /** Stop after this many requests instead (still bounded by `seconds` × 3 + 10 s). */
  amount?: number;
  /** Where responses are recorded (a fresh one when omitted). */
  samples?: Samples;
  /** Names the kind of the request at this index of `requests` (default: 'all'). */
  kindOf?: (requestIndex: number) => string;
}

interface KindSamples {
  ok: number;
  other: number;
  latencies: number[];
}

/** Responses of one or more runs: counts per status class, latencies, seconds measured. */
export class Samples {
  readonly kinds = new Map<string, KindSamples>();
  seconds = 0;
  errors = 0;

  add(kind: string, status: number, latency: number): void {
    let entry = this.kinds.get(kind);
    if (!entry) {
      entry = { ok: 0, other: 0, latencies: [] };
      this.kinds.set(kind, entry);
    }
    if (status >= 200 && status < 300) entry.ok++;
    else entry.other++;
    entry.latencies.push(latency);
  }

  /** Responses so far of one kind (or of all): every status, or 2xx only. */
  count(kind?: string, okOnly = false): number {
    const entries = kind ? [this.kinds.get(kind)] : [...this.kinds.values()];
    return entries.reduce((n, e) => n + (e ? e.ok + (okOnly ? 0 : e.other) : 0), 0);
  }

  /** Adds another run's responses; its seconds too unless it ran alongside one already counted. */
  merge(other: Samples, addSeconds = true): void {
    for (const [kind, entry] of other.kinds) {
      const mine = this.kinds.get(kind);
      if (mine) {
        mine.ok += entry.ok;
        mine.other += entry.other;
        for (const l of entry.latencies) mine.latencies.push(l);
      } else {
        this.kinds.set(kind, { ok: entry.ok, other: entry.other, latencies: [...entry.latencies] });
      }
    }
    if (addSeconds) this.seconds += other.seconds;
    this.errors += other.errors;
  }

  /** Throughput and latency of one kind (or of everything). */
  stats(kind?: string): Stats {
    const entries = kind ? [this.kinds.get(kind) ?? { ok: 0, other: 0, latencies: [] }] : [...this.kinds.values()];
    const latencies = entries.flatMap((e) => e.latencies).sort((a, b) => a - b);
    const ok = entries.reduce((n, e) => n + e.ok, 0);
    const other = entries.reduce((n, e) => n + e.other, 0);
    const seconds = this.seconds || 1;
    return {
      rps: (ok + other) / seconds,
      responses: ok + other,
      non2xx: other,
      errors: this.errors,
      seconds,
      mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : 0,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    };
  }
}

export interface Stats {
  /** Completed responses per second (any status). */
  rps: number;
  responses: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
  /** Latency in milliseconds. */
  mean: number;
  p50: number;
  p99: number;
}

/** Runs autocannon in this process; never runs past its deadline. Resolves with the samples. */
export async function load(options: LoadOptions): Promise<Samples> {
  const { seconds, amount, samples = new Samples(), kindOf, ...rest } = options;
  const setupClient = (client: Client) => {
    client.on('response', (status: number, _bytes: number, latency: number) => {
      // Pipelining is 1: the iterator still points at the request this response answers.
      samples.add(kindOf ? kindOf(client.requestIterator.currentRequestIndex) : 'all', status, latency);
    });
  };
  const instance = autocannon({
    timeout: 10,
    ...rest,
    setupClient,
    ...(amount !== undefined ? { amount } : { duration: seconds }),
  });
  const deadline = setTimeout(() => instance.stop(), (amount !== undefined ? seconds * 3 : seconds) * 1000 + 10_000);
  try {
    const result = await instance;
    samples.seconds += result.duration;
    samples.errors += result.errors + result.timeouts;
    return samples;
  } finally {
    clearTimeout(deadline);
  }
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
