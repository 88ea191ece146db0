// `npm run bench`: measures the app against a bare Fastify route in the same run, on 127.0.0.1,
// every phase with the same connections and duration, and writes its table (bench/RESULTS.md for
// a full SQLite run, bench/RESULTS-<store>-<workers>.md otherwise), its summary for the stores'
// comparison in RESULTS.md (bench/stores.ts), and one JSON summary line. Exit 0 when targets are missed (it is a report), non-zero when a correctness
// check fails (a 2xx signature missing from the database, or counters that drift).
//
//   npm run bench                      50 connections, 10 s per phase, 1,000,000 signatures
//   npm run bench -- --quick           3 s per phase and 100,000 signatures at scale
//   npm run bench -- --duration 5 --connections 20 --scale-size 200000
//   npm run bench -- --profile         the app writes a CPU profile to bench/profiles/ at exit
//   npm run bench -- --only reads,writes   a subset: count, letter, page (or reads), log, writes, scale, drain, spike, export
//   npm run bench -- --store postgres --workers 2   the same phases on PostgreSQL, with two app processes
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RequestSpec } from 'autocannon';
import { CursorCodec } from '../src/api/cursor.js';
import { generateSigningKey, parseSigningKey } from '../src/domain/signed-note.js';
import { findDrift } from '../src/signatures/counter-check.js';
import { type BenchDatabase, benchDatabase, type StoreKind } from './bench-db.js';
import { Child } from './child.js';
import { load, median, Samples, type Stats } from './load.js';
import { person, prng } from './names.js';
import { type Row, renderResults, type Summary } from './report.js';
import { createLetters, seedVerified } from './seed.js';
import { seedLog } from './seed-log.js';
import { recordRun } from './stores.js';

const SECTIONS = ['count', 'letter', 'page', 'log', 'writes', 'scale', 'drain', 'spike', 'export'] as const;
type Section = (typeof SECTIONS)[number];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'scale-size': { type: 'string' },
    'scale-runs': { type: 'string' },
    slices: { type: 'string' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
    workers: { type: 'string', default: '1' },
  },
});
if (flags.store !== 'sqlite' && flags.store !== 'postgres') throw new Error('--store must be sqlite or postgres');
const storeKind = flags.store as StoreKind;

const positive = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};

const quick = flags.quick === true;
const settings = {
  seconds: positive(flags.duration, quick ? 3 : 10, 'duration'),
  connections: Math.round(positive(flags.connections, 50, 'connections')),
  scaleSize: Math.round(positive(flags['scale-size'], quick ? 100_000 : 1_000_000, 'scale-size')),
  smallSize: 1_000,
  scaleRuns: Math.round(positive(flags['scale-runs'], quick ? 3 : 7, 'scale-runs')),
  warmSeconds: 1,
  /** Each main phase is measured in this many runs, alternating with runs of the bare route. */
  slices: Math.round(positive(flags.slices, quick ? 1 : 5, 'slices')),
  store: storeKind,
  workers: Math.round(positive(flags.workers, 1, 'workers')),
};
if (settings.store === 'sqlite' && settings.workers > 1) throw new Error('--workers > 1 needs --store postgres (as the app does)');
/** Short runs for the scale comparisons, several of them, medians reported. */
const scaleSeconds = Math.max(1, Math.min(3, Math.round(settings.seconds / 5)));
const only = new Set<Section>(
  flags.only
    ? (flags.only.split(',').flatMap((s) => (s.trim() === 'reads' ? ['count', 'letter', 'page'] : [s.trim()])) as Section[])
    : [...SECTIONS],
);
for (const section of only) if (!SECTIONS.includes(section)) throw new Error(`--only: unknown section ${section}`);
// Verification needs pending signatures, the drain needs queued mail, the spike reads the letter.
if (only.has('drain')) only.add('writes');

const BENCH = 'bench-letter';
/** What the app believes its address is (mail links, the logs' origin and key name). */
const PUBLIC_URL = 'http://127.0.0.1:8080';
const BIG = 'scale-1m';
const SMALL = 'scale-1k';
const DAY_MS = 86_400_000;
const PROFILE_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));
const MAIN_RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
/** The latest full SQLite run is bench/RESULTS.md; any other run has a file of its own. */
const RESULTS_FILE =
  settings.store === 'sqlite' && !flags.only
    ? MAIN_RESULTS
    : fileURLToPath(new URL(`./RESULTS-${settings.store}-${settings.workers}.md`, import.meta.url));

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- signers and tokens ----------------------------------------------------------------------

/** Unique signers for the write phases, and a record of every signing the app accepted (2xx). */
class Signers {
  private readonly rand = prng(20260601);
  private next = 0;
  readonly accepted = new Map<string, string[]>();
  refused = 0;

  request(slug: string, tag: string): RequestSpec {
    return {
      method: 'POST',
      path: `/api/v1/letters/${slug}/signatures`,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request, context) => {
        const p = person(this.rand);
        const email = `s-${tag}-${this.next++}-${p.first}.${p.last}@bench.example.org`.toLowerCase();
        context.email = email;
        const body = JSON.stringify({ name: p.name, email, country: p.country, title: p.title, public: p.isPublic });
        return { ...request, body };
      },
      onResponse: (status, _body, context) => {
        if (status >= 200 && status < 300) {
          const list = this.accepted.get(tag) ?? [];
          list.push(context.email as string);
          this.accepted.set(tag, list);
        } else {
          this.refused++;
        }
      },
    };
  }

  count(tag?: string): number {
    if (tag) return this.accepted.get(tag)?.length ?? 0;
    let n = 0;
    for (const list of this.accepted.values()) n += list.length;
    return n;
  }
}

/** Raw verification tokens, read from queued mail before the worker delivers (and clears) it. */
class TokenPool {
  private readonly pools = new Map<string, string[]>();
  private lastOutboxId = 0;
  exhausted = 0;
  constructor(private readonly db: BenchDatabase) {}

  async refresh(): Promise<void> {
    const rows = await this.db.sql<{ id: number; recipient: string; data: string }>(
      `SELECT id, "to" AS recipient, data FROM outbox WHERE id > ? AND kind = 'verify' AND status = 'pending' ORDER BY id`,
      this.lastOutboxId,
    );
    for (const row of rows) {
      this.lastOutboxId = row.id;
      const tag = /^s-([a-z0-9]+)-/.exec(row.recipient)?.[1];
      const token = (JSON.parse(row.data) as { verifyToken?: string }).verifyToken;
      if (!tag || !token) continue;
      const pool = this.pools.get(tag) ?? [];
      pool.push(token);
      this.pools.set(tag, pool);
    }
  }

  size(tag: string): number {
    return this.pools.get(tag)?.length ?? 0;
  }

  /** POST /verify/:token with a fresh token each time (a used one once the pool runs dry, counted). */
  request(tag: string): RequestSpec {
    let last = '';
    return {
      method: 'POST',
      path: '/verify/x',
      setupRequest: (request) => {
        const token = this.pools.get(tag)?.shift();
        if (token) last = token;
        else this.exhausted++;
        return { ...request, path: `/verify/${token ?? last}` };
      },
    };
  }
}

// ---- the run ---------------------------------------------------------------------------------

/** One phase of the main table: the app's samples and the bare route's, measured in alternation. */
interface Phase {
  name: string;
  app: Stats;
  bare: Stats;
  /** The bare server sending as many bytes as the app's answer (the page only). */
  sized?: Stats & { bytes: number };
  /** App throughput over the bare route's, from the interleaved slices. */
  ratio: number;
  /** CPU milliseconds per request: the app's processes, PostgreSQL's (when it runs here), the load generator. */
  cpu: { app: number; database: number | null; load: number };
}

async function main(): Promise<number> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'undersigned-bench-'));
  const db = await benchDatabase(settings.store, dir, flags.keep === true);
  const secret = randomBytes(32).toString('base64url');
  const logKey = generateSigningKey(new URL(PUBLIC_URL).host);
  const children: Child[] = [];
  const failures: string[] = [];
  const rows: Row[] = [];
  const summary: Summary = { settings: { ...settings, scaleSeconds, quick, only: [...only] }, phases: {}, checks: {} };
  log(
    `${settings.store} at ${db.url} (${settings.workers} app process${settings.workers > 1 ? 'es' : ''}); ` +
      `${settings.connections} connections, ${settings.seconds} s per phase`,
  );

  try {
    // -- fixtures: letters through the import code, signatures through the bulk seeder --------
    const now = Date.now();
    const letters = await createLetters(db, [BENCH, BIG, SMALL], new Date(now - 31 * DAY_MS));
    const letterId = (slug: string) => letters.find((l) => l.slug === slug)?.id as number;
    const seedOptions = { spanMs: 30 * DAY_MS, endAt: now - 3_600_000 };
    await seedVerified(db, letterId(BENCH), 1_000, { ...seedOptions, seed: 1, tag: 'b' });
    let bigSeed = { rows: 0, ms: 0 };
    if (only.has('scale') || only.has('export')) {
      log(`seeding ${settings.scaleSize.toLocaleString('en')} verified signatures on ${BIG}…`);
      bigSeed = await seedVerified(db, letterId(BIG), settings.scaleSize, { ...seedOptions, seed: 2, tag: 'm' });
      log(`seeded in ${(bigSeed.ms / 1000).toFixed(1)} s`);
      await seedVerified(db, letterId(SMALL), settings.smallSize, { ...seedOptions, seed: 3, tag: 'k' });
    }
    summary.seed = { rows: bigSeed.rows, seconds: round(bigSeed.ms / 1000, 1) };
    // The seeded signatures' public logs, signed with the key the app is given.
    const logStarted = performance.now();
    for (const letter of letters) await seedLog(db, letter, parseSigningKey(logKey), new URL(PUBLIC_URL).host);
    const logSeconds = round((performance.now() - logStarted) / 1000, 1);
    summary.seedLog = { seconds: logSeconds };
    log(`seeded the letters' logs in ${logSeconds} s`);

    // -- processes ----------------------------------------------------------------------------
    const bare = await Child.start('bare', './bare-server.ts');
    children.push(bare);
    const sink = await Child.start('smtp-sink', './smtp-sink.ts');
    children.push(sink);
    if (flags.profile) mkdirSync(PROFILE_DIR, { recursive: true });
    const app = await Child.start('app', './app-server.ts', {
      env: {
        DATABASE_URL: db.url,
        BENCH_WORKERS: String(settings.workers),
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        SESSION_SECRET: secret,
        PUBLIC_URL,
        LOG_SIGNING_KEY: logKey,
      },
      execArgv: flags.profile ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
    });
    children.push(app);
    const appUrl = `http://127.0.0.1:${app.port}`;
    const bareUrl = `http://127.0.0.1:${bare.port}/count`;
    const rssAtStart = (await app.request<NodeJS.MemoryUsage>('rss')).rss;
    // The app's RSS after each phase, to see where memory grows.
    const rssTrail: Record<string, number> = { start: mb(rssAtStart) };
    /** CPU milliseconds used so far by the app's processes and by the PostgreSQL server's. */
    const cpuNow = async () => {
      const usage = await app.request<NodeJS.CpuUsage>('cpu');
      const own = process.cpuUsage();
      return {
        app: (usage.user + usage.system) / 1000,
        database: settings.store === 'postgres' ? postgresCpuMs() : 0,
        // autocannon runs in this process: what the load itself costs the same two cores.
        load: (own.user + own.system) / 1000,
      };
    };
    const noteRss = async (phase: string) => {
      rssTrail[phase] = mb((await app.request<NodeJS.MemoryUsage>('rss')).rss);
    };

    const signers = new Signers();
    const tokens = new TokenPool(db);
    // Read on the benchmark's own connection (an index count), so polling costs the app little.
    const pendingMail = () => db.one<number>("SELECT count(*) FROM outbox WHERE status = 'pending'");

    /**
     * Before each timed verification run: enough fresh tokens for it (signing, untimed, what is
     * missing), sized from the rate the previous run used them at. Only as much mail as needed.
     */
    const verifyTopUp = (tag: string, slug: string, initialRate: number) => {
      let rate = Math.max(initialRate, 200);
      let sizeAfterTopUp = -1;
      let lastSeconds = 1;
      return async (seconds: number) => {
        await tokens.refresh();
        if (sizeAfterTopUp >= 0) rate = Math.max(rate, (sizeAfterTopUp - tokens.size(tag)) / lastSeconds);
        const need = Math.ceil(rate * seconds * 1.5) + settings.connections - tokens.size(tag);
        if (need > 0) {
          await load({ ...base, url: appUrl, requests: [signers.request(slug, tag)], amount: need, seconds: 30 });
          await tokens.refresh();
        }
        sizeAfterTopUp = tokens.size(tag);
        lastSeconds = seconds;
      };
    };
    const base = { connections: settings.connections };
    const allBare = new Samples();
    const phases: Record<string, Phase> = {};

    /**
     * A phase of the main table: after a warm-up of both, `slices` runs of the app alternate with
     * runs of the bare route of the same length, so both see the same noise from the machine.
     */
    const paired = async (
      name: string,
      spec: {
        path?: string;
        requests?: RequestSpec[];
        kindOf?: (index: number) => string;
        sizedBytes?: number;
        /** Runs (untimed) before each slice of the app, e.g. to top up verification tokens. */
        beforeApp?: (sliceSeconds: number) => Promise<void>;
      },
      warm = true,
    ): Promise<{ phase: Phase; samples: Samples }> => {
      const sizedUrl = spec.sizedBytes ? `http://127.0.0.1:${bare.port}/sized/${spec.sizedBytes}` : null;
      const sizedSamples = new Samples();
      const url = `${appUrl}${spec.path ?? ''}`;
      const target = { ...base, url, requests: spec.requests, kindOf: spec.kindOf };
      if (warm) {
        await load({ ...base, url: bareUrl, seconds: settings.warmSeconds });
        await load({ ...target, seconds: settings.warmSeconds });
      }
      const appSamples = new Samples();
      const bareSamples = new Samples();
      const slice = settings.seconds / settings.slices;
      const cpuSpent = { app: 0, database: 0, load: 0 };
      const runs: Array<() => Promise<unknown>> = [
        () => load({ ...base, url: bareUrl, seconds: slice, samples: bareSamples }),
        async () => {
          await spec.beforeApp?.(slice);
          const before = await cpuNow();
          await load({ ...target, seconds: slice, samples: appSamples });
          const after = await cpuNow();
          cpuSpent.app += after.app - before.app;
          cpuSpent.database += after.database - before.database;
          cpuSpent.load += after.load - before.load;
        },
      ];
      if (sizedUrl) runs.push(() => load({ ...base, url: sizedUrl, seconds: slice, samples: sizedSamples }));
      for (let i = 0; i < settings.slices; i++) {
        // Rotate who goes first, so a burst of load from elsewhere does not always land on one of them.
        for (let k = 0; k < runs.length; k++) await (runs[(i + k) % runs.length] as () => Promise<unknown>)();
      }
      for (const [kind, entry] of bareSamples.kinds) for (const l of entry.latencies) allBare.add(kind, 200, l);
      allBare.seconds += bareSamples.seconds;
      allBare.errors += bareSamples.errors;
      const appStats = appSamples.stats();
      const bareStats = bareSamples.stats();
      const perRequest = (ms: number) => ms / Math.max(1, appStats.responses);
      const phase: Phase = {
        name,
        app: appStats,
        bare: bareStats,
        ratio: appStats.rps / bareStats.rps,
        cpu: {
          app: perRequest(cpuSpent.app),
          database: settings.store === 'postgres' ? perRequest(cpuSpent.database) : null,
          load: perRequest(cpuSpent.load),
        },
      };
      if (spec.sizedBytes) phase.sized = { ...sizedSamples.stats(), bytes: spec.sizedBytes };
      phases[name] = phase;
      await noteRss(name);
      log(
        `${name}: ${fmt(appStats.rps)} req/s = ${fmtRatio(phase.ratio)} bare (${fmt(bareStats.rps)} req/s alongside), ` +
          `p50 ${ms(appStats.p50)}, p99 ${ms(appStats.p99)}, errors ${appStats.errors}, non-2xx ${appStats.non2xx}, ` +
          `CPU per request: app ${phase.cpu.app.toFixed(2)} ms${phase.cpu.database === null ? '' : `, PostgreSQL ${phase.cpu.database.toFixed(2)} ms`}, ` +
          `load generator ${phase.cpu.load.toFixed(2)} ms`,
      );
      return { phase, samples: appSamples };
    };

    // -- 1-4. reads ---------------------------------------------------------------------------
    if (only.has('count')) await paired('count', { path: `/api/v1/letters/${BENCH}/count` });
    if (only.has('letter')) await paired('letter', { path: `/api/v1/letters/${BENCH}` });
    if (only.has('page')) {
      const bytes = (await (await fetch(`${appUrl}/letters/${BENCH}`)).arrayBuffer()).byteLength;
      const { phase } = await paired('page', { path: `/letters/${BENCH}`, sizedBytes: bytes });
      if (phase.sized) log(`page: a bare route sending the same ${fmt(bytes)} bytes: ${fmt(phase.sized.rps)} req/s`);
    }

    // -- the public log: a full tile (immutable, kept in memory) and the checkpoint --------------
    if (only.has('log')) {
      await paired('tile', { path: `/letters/${BENCH}/log/tile/0/000` });
      await paired('checkpoint', { path: `/letters/${BENCH}/log/checkpoint` });
    }

    // -- 5-6. writes ----------------------------------------------------------------------------
    let signRps = 0;
    let verifyRps = 0;
    if (only.has('writes')) {
      signRps = (await paired('sign', { requests: [signers.request(BENCH, 'b')] })).phase.app.rps;
      await tokens.refresh();
      const exhaustedBefore = tokens.exhausted;
      const topUp = verifyTopUp('b', BENCH, signRps);
      verifyRps = (await paired('verify', { requests: [tokens.request('b')], beforeApp: topUp }, false)).phase.app.rps;
      if (tokens.exhausted > exhaustedBefore) log(`verify ran out of fresh tokens ${tokens.exhausted - exhaustedBefore} times`);
      summary.checks.verifyTokensExhausted = tokens.exhausted - exhaustedBefore;
      await checkCorrectness('after the write phases', db, signers, failures, summary);
    }

    // -- 7. mail drain --------------------------------------------------------------------------
    let drain: { queued: number; delivered: number; seconds: number; rate: number; left: number } | null = null;
    if (only.has('drain')) {
      const before = await pendingMail();
      const sinkBefore = (await sink.request<{ received: number }>('stats')).received;
      const startedAt = performance.now();
      await app.request('startWorker');
      const deadline = startedAt + Math.max(60_000, settings.seconds * 12_000);
      let pending = before;
      while (pending > 0 && performance.now() < deadline) {
        await sleep(100);
        pending = await pendingMail();
      }
      const seconds = (performance.now() - startedAt) / 1000;
      const delivered = (await sink.request<{ received: number }>('stats')).received - sinkBefore;
      drain = { queued: before, delivered, seconds, rate: delivered / seconds, left: pending };
      log(`mail drain: ${delivered} of ${before} messages in ${seconds.toFixed(1)} s = ${fmt(drain.rate)}/s`);
      if (pending > 0) log(`mail drain stopped at its deadline with ${pending} still queued`);
      await noteRss('drain');
    } else {
      await app.request('startWorker');
    }

    // -- 8. mixed spike -------------------------------------------------------------------------
    let spike: { reads: Stats; signs: Stats; ratio: number; bare: Stats } | null = null;
    if (only.has('spike')) {
      const read = (path: string): RequestSpec => ({ method: 'GET', path });
      const countPath = `/api/v1/letters/${BENCH}/count`;
      const letterPath = `/api/v1/letters/${BENCH}`;
      // Nine reads (count and letter JSON) for every signing, on every connection.
      const mix: RequestSpec[] = [
        read(countPath),
        read(letterPath),
        read(countPath),
        read(letterPath),
        read(countPath),
        read(letterPath),
        read(countPath),
        read(letterPath),
        read(countPath),
        signers.request(BENCH, 'p'),
      ];
      const kindOf = (index: number) => (index === mix.length - 1 ? 'sign' : 'read');
      const { phase, samples } = await paired('spike', { requests: mix, kindOf });
      const reads = samples.stats('read');
      spike = { reads, signs: samples.stats('sign'), ratio: reads.rps / phase.bare.rps, bare: phase.bare };
      log(`spike: reads ${fmt(reads.rps)}/s = ${fmtRatio(spike.ratio)} bare, signing ${fmt(spike.signs.rps)}/s`);
      // The queue must not grow without bound: it empties soon after the spike.
      const pendingAfter = await pendingMail();
      const wait = await waitForOutbox(pendingMail, 30_000);
      summary.checks.spikeOutbox = { pendingAfterSpike: pendingAfter, pendingAfterWait: wait.pending, seconds: wait.seconds };
    }

    // -- scale: the same reads on a letter with 1,000,000 signatures and one with 1,000 -------
    // Per run: mean latency on each letter (run back to back), so each pair sees the same background load.
    const scale: Record<string, { small: number[]; big: number[]; smallP99: number[]; bigP99: number[] }> = {};
    if (only.has('scale')) {
      // Tokens are read from queued mail: no deliveries (which clear it) while this runs.
      await app.request('stopWorker');
      const codec = new CursorCodec(secret);
      const listed = "letter_id = ? AND status = 'verified' AND is_public = ? AND hidden = ?";
      const deepCursor = async (slug: string) => {
        const id = letterId(slug);
        const total = await db.one<number>(`SELECT count(*) FROM signatures WHERE ${listed}`, id, true, false);
        const [row] = await db.sql<{ verifiedAt: number; id: number }>(
          `SELECT verified_at AS "verifiedAt", id FROM signatures WHERE ${listed} ORDER BY verified_at DESC, id DESC LIMIT 1 OFFSET ?`,
          id,
          true,
          false,
          Math.floor(total / 2),
        );
        if (!row) throw new Error(`no listed signature on ${slug}`);
        return encodeURIComponent(codec.encode(`signatures:${id}`, [row.verifiedAt, row.id]));
      };
      const cursors: Record<string, string> = { [BIG]: await deepCursor(BIG), [SMALL]: await deepCursor(SMALL) };
      const routes: Array<[string, (slug: string) => string]> = [
        ['count', (slug) => `/api/v1/letters/${slug}/count`],
        ['letter', (slug) => `/api/v1/letters/${slug}`],
        ['page', (slug) => `/letters/${slug}`],
        ['signatures', (slug) => `/api/v1/letters/${slug}/signatures`],
        ['deep', (slug) => `/api/v1/letters/${slug}/signatures?cursor=${cursors[slug]}`],
      ];
      const compare = async (
        name: string,
        spec: (slug: string) => { path?: string; requests?: RequestSpec[]; before?: () => Promise<void> },
        warm: boolean,
      ) => {
        const entry = { small: [] as number[], big: [] as number[], smallP99: [] as number[], bigP99: [] as number[] };
        scale[name] = entry;
        if (warm) {
          for (const slug of [BIG, SMALL]) await load({ ...base, url: `${appUrl}${spec(slug).path ?? ''}`, ...spec(slug), seconds: 1 });
        }
        for (let run = 0; run < settings.scaleRuns; run++) {
          // Alternate the order so drift in the machine's load does not favour one side.
          for (const slug of run % 2 === 0 ? [SMALL, BIG] : [BIG, SMALL]) {
            const { path, requests, before } = spec(slug);
            await before?.();
            const stats = (await load({ ...base, url: `${appUrl}${path ?? ''}`, requests, seconds: scaleSeconds })).stats();
            if (stats.errors > 0 || (!requests && stats.non2xx > 0)) {
              failures.push(`scale ${name} on ${slug}: ${stats.non2xx} non-2xx, ${stats.errors} errors`);
            }
            // A run without a single response (the server stuck) counts as infinitely slow.
            (slug === BIG ? entry.big : entry.small).push(stats.responses > 0 ? stats.mean : Number.POSITIVE_INFINITY);
            (slug === BIG ? entry.bigP99 : entry.smallP99).push(stats.p99);
          }
        }
        log(
          `scale ${name}: mean latency ${round(median(entry.small), 2)} ms at 1,000, ${round(median(entry.big), 2)} ms at ${fmt(settings.scaleSize)}`,
        );
      };
      for (const [name, path] of routes) await compare(name, (slug) => ({ path: path(slug) }), true);

      // Signing and verification (name_key and near-match lookups) on both letters.
      const tagOf = (slug: string) => (slug === BIG ? 'm' : 'k');
      await compare('sign', (slug) => ({ requests: [signers.request(slug, tagOf(slug))] }), false);
      const exhaustedBefore = tokens.exhausted;
      const topUps: Record<string, () => Promise<void>> = {};
      for (const slug of [SMALL, BIG]) {
        const topUp = verifyTopUp(tagOf(slug), slug, verifyRps || signRps);
        topUps[slug] = () => topUp(scaleSeconds);
      }
      // The specs are built per run; the token requests and top-ups persist per letter.
      const verifySpecs: Record<string, RequestSpec> = { [SMALL]: tokens.request(tagOf(SMALL)), [BIG]: tokens.request(tagOf(BIG)) };
      await compare('verify', (slug) => ({ requests: [verifySpecs[slug] as RequestSpec], before: topUps[slug] }), false);
      summary.checks.scaleVerifyTokensExhausted = tokens.exhausted - exhaustedBefore;
      // The mail this phase queued goes out before the end (bounded; not measured).
      await app.request('startWorker');
      await noteRss('scale');
    }

    // Everything queued is delivered before the end, so the final memory is that of a server at rest.
    summary.checks.outboxAtEnd = await waitForOutbox(pendingMail, 180_000);

    // -- export -------------------------------------------------------------------------------------
    let exported: { rows: number; ms: number; rssBefore: number; rssMax: number } | null = null;
    if (only.has('export')) {
      // Every signature of the letter, whatever its state: the seeded ones and the scale phases' own.
      const expected = await db.one<number>('SELECT count(*) FROM signatures WHERE letter_id = ?', letterId(BIG));
      exported = await runExport(db.url, letterId(BIG));
      log(`export: ${exported.rows} rows in ${(exported.ms / 1000).toFixed(1)} s, RSS +${mb(exported.rssMax - exported.rssBefore)} MB`);
      if (exported.rows !== expected) failures.push(`export wrote ${exported.rows} rows, expected ${expected}`);
    }

    // -- final checks and memory ---------------------------------------------------------------
    if (only.has('writes') || only.has('scale') || only.has('spike')) await checkCorrectness('at the end', db, signers, failures, summary);
    const rssAtEnd = await app.request<NodeJS.MemoryUsage>('rss');

    // -- the table ------------------------------------------------------------------------------
    const bareStats = allBare.stats();
    rows.push({
      what: 'bare Fastify route (all slices)',
      measured: `${fmt(bareStats.rps)} req/s, p50 ${ms(bareStats.p50)}, p99 ${ms(bareStats.p99)}`,
      target: 'the ceiling',
      pass: null,
    });
    const ratioRow = (what: string, phase: Phase | undefined, min: number, extra?: { p99Max?: number; zeroErrors?: boolean }) => {
      if (!phase) return;
      const a = phase.app;
      const parts = [
        `${fmt(a.rps)} req/s = ${fmtRatio(phase.ratio)} bare (${fmt(phase.bare.rps)} alongside)`,
        `p50 ${ms(a.p50)}`,
        `p99 ${ms(a.p99)}`,
      ];
      parts.push(`${a.errors} errors, ${a.non2xx} non-2xx`);
      if (phase.sized) {
        parts.push(
          `for reference a bare route sending the same ${fmt(phase.sized.bytes)} bytes: ${fmt(phase.sized.rps)} req/s = ${fmtRatio(phase.sized.rps / phase.bare.rps)} bare, the page ${fmtRatio(a.rps / phase.sized.rps)} of it`,
        );
      }
      let pass = phase.ratio >= min;
      let target = `≥ ${min}× bare`;
      if (extra?.p99Max !== undefined) {
        pass &&= a.p99 < extra.p99Max;
        target += `; p99 < ${extra.p99Max} ms`;
      }
      if (extra?.zeroErrors) {
        pass &&= a.errors === 0 && a.non2xx === 0;
        target += '; 0 errors; nothing lost';
      }
      rows.push({ what, measured: parts.join(', '), target, pass });
    };
    ratioRow('count JSON', phases.count, 0.85, { p99Max: 20 });
    ratioRow('letter JSON', phases.letter, 0.7);
    ratioRow('letter HTML page', phases.page, 0.5);
    ratioRow('public log: a full tile (8 KiB)', phases.tile, 0.8);
    ratioRow('public log: the checkpoint', phases.checkpoint, 0.8);
    ratioRow('sign (JSON POST)', phases.sign, 0.35, { zeroErrors: true });
    ratioRow('verify (POST /verify/:token)', phases.verify, 0.35);
    if (drain) {
      rows.push({
        what: 'mail drain (SMTP, pooled)',
        measured: `${fmt(drain.rate)} mails/s (${fmt(drain.delivered)} delivered in ${drain.seconds.toFixed(1)} s${drain.left ? `, ${fmt(drain.left)} left` : ''}) vs signing ${fmt(signRps)}/s`,
        target: '≥ 500 mails/s and ≥ the signing rate',
        pass: drain.rate >= 500 && drain.rate >= signRps && drain.left === 0,
      });
    }
    if (spike) {
      const after = summary.checks.spikeOutbox as { pendingAfterSpike: number; pendingAfterWait: number; seconds: number };
      rows.push({
        what: 'mixed spike (90 % count/letter reads, 10 % signing)',
        measured:
          `reads ${fmt(spike.reads.rps)}/s = ${fmtRatio(spike.ratio)} bare (p50 ${ms(spike.reads.p50)}, p99 ${ms(spike.reads.p99)}); ` +
          `signing ${fmt(spike.signs.rps)}/s (${spike.signs.non2xx} non-2xx); mail queued at the end ${fmt(after.pendingAfterSpike)}, ` +
          (after.pendingAfterWait === 0
            ? `delivered ${after.seconds.toFixed(1)} s later`
            : `${fmt(after.pendingAfterWait)} still queued 30 s later`),
        target: 'reads ≥ 0.6× bare',
        pass: spike.ratio >= 0.6 && spike.signs.non2xx === 0,
      });
    }
    if (only.has('scale') || only.has('export')) {
      rows.push({
        what: `bulk seed of ${fmt(settings.scaleSize)} verified signatures`,
        measured: `${summary.seed.seconds} s`,
        target: '< 60 s',
        pass: summary.seed.seconds < 60,
      });
    }
    const scaleTargets: Array<[string, string, number]> = [
      ['count', 'count JSON', 1.2],
      ['letter', 'letter JSON', 1.2],
      ['page', 'letter HTML page', 1.2],
      ['signatures', '/signatures, first page', 1.5],
      ['deep', '/signatures, cursor page in the middle', 1.5],
      ['sign', 'sign (JSON POST)', 1.5],
      ['verify', 'verify (name_key and near-match lookups)', 1.5],
    ];
    const scaleSummary: Record<string, unknown> = {};
    for (const [key, label, max] of scaleTargets) {
      const entry = scale[key];
      if (!entry) continue;
      const small = median(entry.small);
      const big = median(entry.big);
      // The median of the pairs' ratios: a burst of load from elsewhere spoils one pair, not the result.
      const ratio = median(entry.big.map((b, i) => b / (entry.small[i] as number)));
      scaleSummary[key] = { smallMs: round(small, 2), bigMs: round(big, 2), ratio: round(ratio, 2) };
      rows.push({
        what: `scale: ${label}`,
        measured: `mean latency ${round(big, 2)} ms at ${fmt(settings.scaleSize)} vs ${round(small, 2)} ms at 1,000; median of paired runs ${fmtRatio(ratio)} (p99 ${round(median(entry.bigP99), 1)} vs ${round(median(entry.smallP99), 1)} ms)`,
        target: `≤ ${max}×${key === 'sign' || key === 'verify' ? ' (O(log n), issue 5)' : ''}`,
        pass: Number.isFinite(ratio) && ratio <= max,
      });
    }
    if (exported) {
      const rate = exported.rows / (exported.ms / 1000);
      const growth = exported.rssMax - exported.rssBefore;
      rows.push({
        what: `CSV export of ${fmt(exported.rows)} signatures (child process)`,
        measured: `${fmt(rate)} rows/s, RSS +${mb(growth)} MB`,
        target: '≥ 100,000 rows/s; RSS growth < 64 MB',
        pass: rate >= 100_000 && growth < 64 * 1024 * 1024,
      });
      summary.export = { rows: exported.rows, rowsPerSecond: round(rate), rssGrowthMb: mb(growth) };
    }
    rows.push({
      what: 'app server RSS after the whole benchmark',
      measured: `${mb(rssAtEnd.rss)} MB, at rest${(summary.checks.outboxAtEnd as { pending: number }).pending > 0 ? ` (but ${(summary.checks.outboxAtEnd as { pending: number }).pending} mails still queued)` : ''} (V8 heap ${mb(rssAtEnd.heapUsed)} of ${mb(rssAtEnd.heapTotal)} MB; after each phase: ${Object.entries(
        rssTrail,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
      target: '< 250 MB',
      pass: rssAtEnd.rss < 250 * 1024 * 1024,
    });
    rows.push({
      what: 'correctness: every 2xx signing stored; counters = recomputation',
      measured: failures.length === 0 ? `${fmt(signers.count())} accepted signings all stored; findDrift empty` : failures.join('; '),
      target: 'always',
      pass: failures.length === 0,
    });

    for (const [name, phase] of Object.entries(phases)) {
      summary.phases[name] = {
        rps: round(phase.app.rps),
        bareRps: round(phase.bare.rps),
        ratio: round(phase.ratio, 3),
        p50: round(phase.app.p50, 2),
        p99: round(phase.app.p99, 2),
        errors: phase.app.errors,
        non2xx: phase.app.non2xx,
        cpuMsPerRequest: {
          app: round(phase.cpu.app, 3),
          database: phase.cpu.database === null ? null : round(phase.cpu.database, 3),
          load: round(phase.cpu.load, 3),
        },
      };
    }
    summary.bare = { rps: round(bareStats.rps), p50: round(bareStats.p50, 2), p99: round(bareStats.p99, 2) };
    summary.drain = drain && { rate: round(drain.rate), delivered: drain.delivered, queued: drain.queued, left: drain.left };
    summary.spike = spike && { readRps: round(spike.reads.rps), readRatio: round(spike.ratio, 3), signRps: round(spike.signs.rps) };
    summary.scale = scaleSummary;
    summary.memory = {
      trailMb: rssTrail,
      rssStartMb: mb(rssAtStart),
      rssEndMb: mb(rssAtEnd.rss),
      heapUsedMb: mb(rssAtEnd.heapUsed),
      heapTotalMb: mb(rssAtEnd.heapTotal),
      externalMb: mb(rssAtEnd.external),
    };
    summary.targetsMissed = rows.filter((r) => r.pass === false).map((r) => r.what);
    summary.correct = failures.length === 0;
    summary.seconds = round((Date.now() - started) / 1000);

    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}`;
    const markdown = renderResults(rows, { settings, scaleSeconds, machine, date: new Date(), quick });
    if (!flags['no-write']) {
      writeFileSync(RESULTS_FILE, markdown);
      recordRun(MAIN_RESULTS, settings.store, settings.workers, { ...summary, date: new Date().toISOString(), quick });
    }
    process.stderr.write(`\n${markdown}\n`);

    await app.request('close', 30_000).catch(() => undefined);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (failures.length > 0) {
      log(`CORRECTNESS FAILED: ${failures.join('; ')}`);
      return 1;
    }
    return 0;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await db.drop();
    if (!flags.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

/** Waits (bounded) until no mail is pending; reports what is left and how long it took. */
async function waitForOutbox(pendingMail: () => Promise<number>, timeoutMs: number): Promise<{ pending: number; seconds: number }> {
  const started = performance.now();
  let pending = await pendingMail();
  while (pending > 0 && performance.now() - started < timeoutMs) {
    await sleep(100);
    pending = await pendingMail();
  }
  return { pending, seconds: (performance.now() - started) / 1000 };
}

/** Every accepted signing is a row; every counter equals its recomputation. */
async function checkCorrectness(when: string, db: BenchDatabase, signers: Signers, failures: string[], summary: Summary): Promise<void> {
  const started = performance.now();
  const rows = await db.sql<{ email: string }>("SELECT email FROM signatures WHERE email LIKE 's-%@bench.example.org'");
  const stored = new Set(rows.map((r) => r.email));
  let missing = 0;
  for (const list of signers.accepted.values()) for (const email of list) if (!stored.has(email)) missing++;
  if (missing > 0) failures.push(`${when}: ${missing} signings answered 2xx are not in the database`);
  const drift = await findDrift(db.store);
  if (drift.length > 0) failures.push(`${when}: counters drift: ${JSON.stringify(drift.slice(0, 5))}`);
  summary.checks[`correctness ${when}`] = { accepted: signers.count(), missing, drift: drift.length };
  log(
    `checked ${when}: ${signers.count()} accepted signings, ${missing} missing, ${drift.length} drift (${Math.round(performance.now() - started)} ms)`,
  );
}

/** Streams the CSV in a child process of its own and reports rows, time and RSS. */
function runExport(databaseUrl: string, letterId: number): Promise<{ rows: number; ms: number; rssBefore: number; rssMax: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./export-child.ts', import.meta.url)), [databaseUrl, String(letterId)], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('export did not finish within 180 s'));
    }, 180_000);
    child.on('message', (message: { type: string; rows: number; ms: number; rssBefore: number; rssMax: number }) => {
      if (message.type !== 'result') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`export exited with ${code}`));
    });
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const fmtRatio = (n: number) => `${n.toFixed(2)}×`;
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);

/**
 * CPU milliseconds used by every PostgreSQL server process on this machine (Linux /proc; 0
 * elsewhere). The benchmark's database runs here, so its share of the cores is part of the cost.
 */
function postgresCpuMs(): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  // Linux reports in clock ticks of 1/100 s.
  return ticks * 10;
}
