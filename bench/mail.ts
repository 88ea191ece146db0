// Mail as signers get it. The benchmark notes when it got each signing's 2xx; the SMTP sink
// (smtp-sink.ts) notes when it accepted each message and the confirmation token in it. Joined by
// the recipient's address, they give each message's latency (accepted by the app → accepted by
// SMTP), and the tokens are what the verify phases confirm with, as signers do from their inbox.
import type { RequestSpec } from 'autocannon';
import type { Child } from './child.js';
import { percentile } from './load.js';
import type { Take } from './smtp-sink.js';

export interface Delivery {
  group: string;
  /** When the benchmark got the signing's 2xx, and when the sink accepted its mail (ms since the epoch). */
  signedAt: number;
  acceptedAt: number;
}

export interface Latency {
  /** Signings of the group with their mail delivered, and without (yet). */
  delivered: number;
  undelivered: number;
  p50: number;
  p99: number;
  max: number;
}

/** The benchmark's signers' addresses start `s-<tag>-`: the tag names the letter's token pool. */
const TAG = /^s-([a-z0-9]+)-/;

export class MailLedger {
  /** Signings answered 2xx whose mail has not arrived yet, by address. */
  private readonly waiting = new Map<string, { signedAt: number; group: string }>();
  private readonly tokens = new Map<string, string[]>();
  readonly deliveries: Delivery[] = [];
  /** When the sink accepted each message, in the order received (every message, signer or not). */
  readonly acceptedTimes: number[] = [];
  /** Further mail to an address already mailed (a used link repeats the withdrawal link, throttled). */
  repeats = 0;
  /**
   * Mail to addresses no 2xx was seen for: signings in flight when a run ended (autocannon stops
   * listening at its deadline, the app still accepts and mails them), or something wrong.
   */
  strangers = 0;
  private readonly mailed = new Set<string>();
  /** Mail to people the benchmark did not sign up itself: the seeded signers' update mail. */
  others = 0;
  /** Messages for benchmark signers without a /verify/ link in them. */
  withoutToken = 0;
  /** Verify requests that found the pool empty and repeated a used token. */
  exhausted = 0;
  received = 0;

  constructor(private readonly sink: Child) {}

  /** A signing answered 2xx now: its mail is due. */
  signed(email: string, group: string): void {
    this.waiting.set(email, { signedAt: Date.now(), group });
  }

  /** Takes the sink's new receipts: latencies and tokens. */
  async collect(): Promise<void> {
    const take = await this.sink.request<Take>('take');
    this.received = take.received;
    for (const [to, acceptedAt, token] of take.receipts) {
      this.acceptedTimes.push(acceptedAt);
      if (!to.startsWith('s-')) {
        this.others++;
        continue;
      }
      const signing = this.waiting.get(to);
      if (!signing) {
        if (this.mailed.has(to)) this.repeats++;
        else this.strangers++;
        continue;
      }
      this.waiting.delete(to);
      this.mailed.add(to);
      this.deliveries.push({ group: signing.group, signedAt: signing.signedAt, acceptedAt });
      const tag = TAG.exec(to)?.[1];
      if (!token || !tag) {
        this.withoutToken++;
        continue;
      }
      const pool = this.tokens.get(tag);
      if (pool) pool.push(token);
      else this.tokens.set(tag, [token]);
    }
  }

  /** Signings still waiting for their mail, of one group or of all. */
  pending(group?: string): number {
    if (!group) return this.waiting.size;
    let n = 0;
    for (const w of this.waiting.values()) if (w.group === group) n++;
    return n;
  }

  /** Messages the sink accepted in [from, to). */
  acceptedBetween(from: number, to: number): number {
    let n = 0;
    for (const t of this.acceptedTimes) if (t >= from && t < to) n++;
    return n;
  }

  /** Latency from 2xx to SMTP of a group's signings (those signed within `windows` when given). */
  latency(group: string, windows?: Array<[number, number]>): Latency {
    const within = (at: number) => !windows || windows.some(([from, to]) => at >= from && at < to);
    const ms = this.deliveries
      .filter((d) => d.group === group && within(d.signedAt))
      .map((d) => d.acceptedAt - d.signedAt)
      .sort((a, b) => a - b);
    let undelivered = 0;
    for (const w of this.waiting.values()) if (w.group === group && within(w.signedAt)) undelivered++;
    return { delivered: ms.length, undelivered, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: ms.at(-1) ?? 0 };
  }

  /** Whether a signing of `tag` still waits for its mail. */
  private awaiting(tag: string): boolean {
    const prefix = `s-${tag}-`;
    for (const email of this.waiting.keys()) if (email.startsWith(prefix)) return true;
    return false;
  }

  tokenCount(tag: string): number {
    return this.tokens.get(tag)?.length ?? 0;
  }

  /** POST /verify/:token with a fresh token each time (a used one once the pool runs dry, counted). */
  verifyRequest(tag: string): RequestSpec {
    let last = '';
    return {
      method: 'POST',
      path: '/verify/x',
      setupRequest: (request) => {
        const token = this.tokens.get(tag)?.shift();
        if (token) last = token;
        else this.exhausted++;
        return { ...request, path: `/verify/${token ?? last}` };
      },
    };
  }

  /**
   * Waits (bounded) until `tag`'s pool holds `count` tokens, or no signing is waiting for its
   * mail any more. Returns whether the pool got there.
   */
  async awaitTokens(tag: string, count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.collect();
      if (this.tokenCount(tag) >= count) return true;
      if (!this.awaiting(tag) || Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The outbox's depth, sampled on the benchmark's own connection to the database. */
export class QueueWatch {
  readonly samples: Array<[at: number, depth: number]> = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly depth: () => Promise<number>,
    private readonly everyMs = 200,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      // A slow answer skips a sample rather than piling queries up.
      if (this.busy) return;
      this.busy = true;
      this.sample()
        .catch(() => undefined)
        .finally(() => {
          this.busy = false;
        });
    }, this.everyMs);
    return this;
  }

  async sample(): Promise<number> {
    const depth = await this.depth();
    this.samples.push([Date.now(), depth]);
    return depth;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Samples until the queue is empty (bounded); returns when it was first seen empty, or null. */
  async untilEmpty(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.sample()) === 0) return Date.now();
      await new Promise((r) => setTimeout(r, this.everyMs));
    }
    return null;
  }

  max(from = -Infinity, to = Infinity): number {
    let max = 0;
    for (const [at, depth] of this.samples) if (at >= from && at < to) max = Math.max(max, depth);
    return max;
  }

  /**
   * The stretches between samples that found mail queued: their total length in seconds. Mail
   * accepted by the sink in them, over that time, is the rate the queue drains at when it has work.
   */
  busyIntervals(): Array<[number, number]> {
    const busy: Array<[number, number]> = [];
    const sorted = [...this.samples].sort((a, b) => a[0] - b[0]);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const [at, depth] = sorted[i] as [number, number];
      if (depth > 0) busy.push([at, (sorted[i + 1] as [number, number])[0]]);
    }
    return busy;
  }
}
