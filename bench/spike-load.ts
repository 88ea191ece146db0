// The spike as real users make it: readers and signers are different people, so they arrive on
// connections of their own. Readers ask as fast as they are answered (count JSON and letter JSON
// alternately); signers come at a fixed offered rate, whatever the readers do. Used in slices
// against the bare route (run.ts) and, not sliced, as the sustained spike sampled every second.
import type { RequestSpec } from 'autocannon';
import { load, median, Samples } from './load.js';
import type { MailLedger } from './mail.js';
import type { Signers } from './signers.js';
import type { SpikeSecond } from './spike-chart.js';

export interface SpikeSetup {
  url: string;
  slug: string;
  readConnections: number;
  /** Signings offered per second, over all signer connections. */
  signRate: number;
  signers: Signers;
}

/**
 * Signer connections: autocannon sends each connection's share of the rate at the start of every
 * second, one request after another, so with 10 each the offered rate holds while a signing is
 * answered within 100 ms (signings wait for a group commit, and readers crowd the server).
 */
export const signConnections = (rate: number) => Math.max(5, Math.ceil(rate / 10));

const read = (path: string): RequestSpec => ({ method: 'GET', path });

/** Readers and signers at once for `seconds`; responses land in `reads` ('read') and `signs` ('sign'). */
export async function spikeLoad(
  setup: SpikeSetup,
  seconds: number,
  into: { reads: Samples; signs: Samples; tag: string; group: string },
): Promise<void> {
  const readRequests = [read(`/api/v1/letters/${setup.slug}/count`), read(`/api/v1/letters/${setup.slug}`)];
  await Promise.all([
    load({
      connections: setup.readConnections,
      url: setup.url,
      requests: readRequests,
      seconds,
      samples: into.reads,
      kindOf: () => 'read',
    }),
    load({
      connections: signConnections(setup.signRate),
      overallRate: setup.signRate,
      url: setup.url,
      requests: [setup.signers.request(setup.slug, into.tag, into.group)],
      seconds,
      samples: into.signs,
      kindOf: () => 'sign',
    }),
  ]);
}

/** The sustained spike: its seconds (for the chart) and its totals. */
export interface Sustained {
  seconds: SpikeSecond[];
  reads: Samples;
  signs: Samples;
  startedAt: number;
  endedAt: number;
}

/**
 * Runs the spike for `seconds` without a pause, sampling each second: reads and 2xx signings
 * answered, the outbox's depth. Mail per second and each second's mail latency are filled in by
 * `completeSeconds` once the mail has arrived.
 */
export async function sustainedSpike(
  setup: SpikeSetup,
  seconds: number,
  depth: () => Promise<number>,
  group: { tag: string; group: string },
): Promise<Sustained> {
  const reads = new Samples();
  const signs = new Samples();
  const startedAt = Date.now();
  const running = spikeLoad(setup, seconds, { reads, signs, ...group });
  const ticks: Array<{ at: number; reads: number; signings: number; depth: number }> = [];
  for (let i = 1; i <= seconds; i++) {
    // Pacing to the next whole second of the run (not waiting for an event).
    await new Promise((r) => setTimeout(r, Math.max(0, startedAt + i * 1000 - Date.now())));
    const at = Date.now();
    ticks.push({ at, reads: reads.count('read'), signings: signs.count('sign', true), depth: await depth() });
  }
  await running;
  const out: SpikeSecond[] = ticks.map((tick, i) => {
    const previous = ticks[i - 1] ?? { at: startedAt, reads: 0, signings: 0 };
    const dt = (tick.at - previous.at) / 1000;
    return {
      t: (tick.at - startedAt) / 1000,
      from: previous.at,
      to: tick.at,
      reads: (tick.reads - previous.reads) / dt,
      signings: (tick.signings - previous.signings) / dt,
      mails: 0,
      depth: tick.depth,
      mailP99: null,
    };
  });
  return { seconds: out, reads, signs, startedAt, endedAt: ticks.at(-1)?.at ?? Date.now() };
}

/** Fills in each second's mail once delivered: messages accepted by SMTP, p99 latency of its signings. */
export function completeSeconds(sustained: Sustained, ledger: MailLedger, group: string): void {
  for (const second of sustained.seconds) {
    const dt = (second.to - second.from) / 1000;
    second.mails = ledger.acceptedBetween(second.from, second.to) / dt;
    const latency = ledger.latency(group, [[second.from, second.to]]);
    second.mailP99 = latency.delivered > 0 ? latency.p99 : null;
  }
}

/** Minimum, median and maximum of a series (seconds without a value left out). */
export function spread(values: Array<number | null>): { min: number; median: number; max: number } {
  const present = values.filter((v): v is number => v !== null);
  return { min: present.length ? Math.min(...present) : 0, median: median(present), max: present.length ? Math.max(...present) : 0 };
}
