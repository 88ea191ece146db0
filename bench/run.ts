// `npm run bench`: builds the app (`npm run build`) and measures what production runs, `node
// dist/main.js` configured only by its environment (with its own cluster supervisor for
// --workers), against a bare Fastify route in the same run, on 127.0.0.1, every phase with the
// same connections and duration. The app is reached only from outside: HTTP for the load, /proc
// for its processes' memory and CPU time, the SMTP sink for its mail (which flows all the time,
// as in production: each message's latency from the signing's 2xx to SMTP, and the confirmation
// tokens the verify phases use), the database for the outbox's depth and the correctness checks,
// SIGTERM to stop it. Writes its table (bench/RESULTS.md and bench/spike.svg for a full SQLite
// run, bench/RESULTS-<store>-<workers>.md and bench/spike-<store>-<workers>.svg otherwise), its
// summary for the stores' comparison in RESULTS.md (bench/stores.ts), and one JSON summary line.
// Exit 0 when targets are missed (it is a report), non-zero when a correctness check fails (a
// 2xx signature missing from the database or never mailed, or counters that drift).
//
//   npm run bench                      50 connections, 10 s per phase, 1,000,000 signatures, 60 s sustained spike
//   npm run bench -- --quick           3 s per phase, 100,000 signatures at scale, 15 s sustained spike
//   npm run bench -- --duration 5 --connections 20 --scale-size 200000
//   npm run bench -- --spike-sign-rate 800 --sustained-seconds 120
//   npm run bench -- --profile         node --cpu-prof: each app process writes a CPU profile to bench/profiles/ at exit
//   npm run bench -- --only reads,writes   a subset: count, letter, page (or reads), log, writes, spike, update, scale, export
//   npm run bench -- --update-size 100000 --update-rate 1000   the large update sent while others sign
//   npm run bench -- --store postgres --workers 2   the same phases on PostgreSQL, with WORKERS=2
import { fork, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RequestSpec } from 'autocannon';
import { CursorCodec } from '../src/api/cursor.js';
import { generateSigningKey, parseSigningKey } from '../src/domain/signed-note.js';
import { findDrift } from '../src/signatures/counter-check.js';
import { freePort } from '../test/helpers/server.js';
import { type AppExit, AppProcess } from './app-process.js';
import { type BenchDatabase, benchDatabase, type StoreKind } from './bench-db.js';
import { Child } from './child.js';
import { load, median, Samples, type Stats } from './load.js';
import { type Latency, MailLedger, QueueWatch } from './mail.js';
import { postgresCpuMs } from './proc.js';
import { type Row, renderResults, type Summary } from './report.js';
import { createLetters, seedVerified } from './seed.js';
import { seedLog } from './seed-log.js';
import { Signers } from './signers.js';
import { type SpikeSecond, spikeChart } from './spike-chart.js';
import { completeSeconds, type SpikeSetup, signConnections, spikeLoad, spread, sustainedSpike } from './spike-load.js';
import { recordRun } from './stores.js';

const SECTIONS = ['count', 'letter', 'page', 'log', 'writes', 'spike', 'update', 'scale', 'export'] as const;
type Section = (typeof SECTIONS)[number];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'scale-size': { type: 'string' },
    'scale-runs': { type: 'string' },
    slices: { type: 'string' },
    'spike-sign-rate': { type: 'string' },
    'sustained-seconds': { type: 'string' },
    'update-size': { type: 'string' },
    'update-rate': { type: 'string' },
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
  /** Signings offered per second during the spikes with separate connections. */
  spikeSignRate: Math.round(positive(flags['spike-sign-rate'], 500, 'spike-sign-rate')),
  sustainedSeconds: Math.round(positive(flags['sustained-seconds'], quick ? 15 : 60, 'sustained-seconds')),
  /** Recipients of the large update, and how fast it may go out (UPDATES_PER_SECOND). */
  updateSize: Math.round(positive(flags['update-size'], quick ? 20_000 : 100_000, 'update-size')),
  updateRate: Math.round(positive(flags['update-rate'], 1_000, 'update-rate')),
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

const BENCH = 'bench-letter';
const BIG = 'scale-1m';
const SMALL = 'scale-1k';
/** A letter whose consenting signers get a large update while others sign elsewhere. */
const UPDATE = 'update-letter';
const DAY_MS = 86_400_000;
/** How long the benchmark waits for queued mail to go out after a phase (it reports what is left). */
const MAIL_WAIT_MS = 120_000;
/** A slice's first moment, before its first mail can have gone out, is left out of the mail rate while signing. */
const MAIL_START_MS = 500;
/** The mail latency target of issue 22: from the 2xx to the mail accepted by SMTP. */
const MAIL_P99_TARGET_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PROFILE_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));
const MAIN_RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
/** The latest full SQLite run is bench/RESULTS.md; any other run has a file of its own. */
const mainRun = settings.store === 'sqlite' && !flags.only;
const RESULTS_FILE = mainRun ? MAIN_RESULTS : fileURLToPath(new URL(`./RESULTS-${settings.store}-${settings.workers}.md`, import.meta.url));
const CHART_NAME = mainRun ? 'spike.svg' : `spike-${settings.store}-${settings.workers}.svg`;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

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

/** A phase's mail: latency of its signings, and whether the outbox kept pace with them. */
interface MailFigures {
  latency: Latency;
  /** 2xx signings per second of the app's slices. */
  signRate: number;
  /**
   * Mail accepted by SMTP per second during the same slices, each but its first MAIL_START_MS
   * (the queue starts empty, so the first mail of a slice goes out a moment after its signing:
   * counted from the start, a pace-keeping outbox would look that moment short of the signing).
   */
  outRate: number;
  /** The outbox's depth: the deepest sample, and when it was first seen empty after the last slice. */
  depthMax: number;
  emptiedAfter: number | null;
  /** Mail per second between the last slice and the empty queue. */
  afterRate: number | null;
  /** Mail per second while the sampled queue was not empty: the drain rate when it has work. */
  busyRate: number | null;
}

async function main(): Promise<number> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'undersigned-bench-'));
  const db = await benchDatabase(settings.store, dir, flags.keep === true);
  const secret = randomBytes(32).toString('base64url');
  // The app's port, chosen now: its address names the logs' signing key, which seeding needs.
  const port = await freePort();
  /** What the app believes its address is (mail links, the logs' origin and key name). */
  const publicUrl = `http://127.0.0.1:${port}`;
  const logKey = generateSigningKey(new URL(publicUrl).host);
  const children: Child[] = [];
  /** The app while it runs, for the `finally` to stop should the run fail. */
  let running: AppProcess | null = null;
  const failures: string[] = [];
  const rows: Row[] = [];
  const summary: Summary = { format: 2, settings: { ...settings, scaleSeconds, quick, only: [...only] }, phases: {}, checks: {} };
  log(
    `${settings.store} at ${db.url} (WORKERS=${settings.workers}); ` +
      `${settings.connections} connections, ${settings.seconds} s per phase`,
  );

  try {
    // -- fixtures: letters through the import code, signatures through the bulk seeder --------
    const now = Date.now();
    const letters = await createLetters(db, [BENCH, BIG, SMALL, UPDATE], new Date(now - 31 * DAY_MS));
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
    if (only.has('update')) {
      log(`seeding ${fmt(settings.updateSize)} consenting signers on ${UPDATE}…`);
      await seedVerified(db, letterId(UPDATE), settings.updateSize, { ...seedOptions, seed: 4, tag: 'u' });
      // They ticked "Email me updates" when they signed.
      await db.sql(
        "UPDATE signatures SET updates_consent_at = verified_at, updates_consent_wording = 'updates-v1' WHERE letter_id = ?",
        letterId(UPDATE),
      );
    }
    // The seeded signatures' public logs, signed with the key the app is given.
    const logStarted = performance.now();
    for (const letter of letters) await seedLog(db, letter, parseSigningKey(logKey), new URL(publicUrl).host);
    const logSeconds = round((performance.now() - logStarted) / 1000, 1);
    summary.seedLog = { seconds: logSeconds };
    log(`seeded the letters' logs in ${logSeconds} s`);

    // -- processes ----------------------------------------------------------------------------
    const bare = await Child.start('bare', './bare-server.ts');
    children.push(bare);
    const sink = await Child.start('smtp-sink', './smtp-sink.ts');
    children.push(sink);
    if (flags.profile) mkdirSync(PROFILE_DIR, { recursive: true });
    // The production entry point, configured as an operator would: by environment only.
    // NODE_ENV=test because production refuses RATE_LIMIT=off, and all the load comes from one IP.
    const appEnv: Record<string, string> = {
      DATABASE_URL: db.url,
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      PORT: String(port),
      WORKERS: String(settings.workers),
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      SESSION_SECRET: secret,
      PUBLIC_URL: publicUrl,
      LOG_SIGNING_KEY: logKey,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RATE_LIMIT: 'off',
      SPIKE_GUARD: 'off',
      SEED_DEMO: 'false',
      UPDATES_PER_SECOND: String(settings.updateRate),
    };
    const app = await AppProcess.start({
      env: appEnv,
      // Cluster workers start with the primary's node options, so each writes a profile of its own.
      nodeArgs: flags.profile ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
      readyPath: `/api/v1/letters/${BENCH}/count`,
    });
    running = app;
    const appUrl = app.url;
    const bareUrl = `http://127.0.0.1:${bare.port}/count`;
    const rssAtStart = app.usage().rss;
    log(`app: node dist/main.js, pid ${app.pid}, ${app.usage().processes.length} process(es), RSS ${mb(rssAtStart)} MB`);
    // The app's RSS after each phase, to see where memory grows.
    const rssTrail: Record<string, number> = { start: mb(rssAtStart) };
    /** CPU milliseconds used so far by the app's processes, the PostgreSQL server's, this one's. */
    const cpuNow = () => {
      const own = process.cpuUsage();
      return {
        app: app.usage().cpuMs,
        database: settings.store === 'postgres' ? postgresCpuMs() : 0,
        // autocannon runs in this process: what the load itself costs the same two cores.
        load: (own.user + own.system) / 1000,
      };
    };
    const noteRss = (phase: string) => {
      rssTrail[phase] = mb(app.usage().rss);
    };

    const ledger = new MailLedger(sink);
    const signers = new Signers(ledger);
    // Read on the benchmark's own connection (an index count), so polling costs the app little.
    const pendingMail = () => db.one<number>("SELECT count(*) FROM outbox WHERE status = 'pending'");

    /**
     * Before each timed verification run: enough fresh tokens for it, sized from the rate the
     * previous run used them at. What is missing is signed (untimed), and the run waits (bounded)
     * until the sink has their mail, as signers wait for theirs.
     */
    const verifyTopUp = (tag: string, slug: string, initialRate: number) => {
      let rate = Math.max(initialRate, 200);
      let sizeAfterTopUp = -1;
      let lastSeconds = 1;
      return async (seconds: number) => {
        await ledger.collect();
        if (sizeAfterTopUp >= 0) rate = Math.max(rate, (sizeAfterTopUp - ledger.tokenCount(tag)) / lastSeconds);
        const want = Math.ceil(rate * seconds * 2) + settings.connections;
        const need = want - ledger.tokenCount(tag);
        if (need > 0) {
          const connections = Math.min(settings.connections, need);
          await load({ connections, url: appUrl, requests: [signers.request(slug, tag, 'topup')], amount: need, seconds: 30 });
          if (!(await ledger.awaitTokens(tag, want, MAIL_WAIT_MS))) {
            log(`verify top-up: ${ledger.tokenCount(tag)} of ${want} tokens arrived by mail`);
          }
        }
        sizeAfterTopUp = ledger.tokenCount(tag);
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
        /** Drives the app for a slice itself (several loads at once) instead of one load of `path`/`requests`. */
        drive?: (seconds: number, samples: Samples) => Promise<void>;
      },
      warm = true,
    ): Promise<{ phase: Phase; samples: Samples; windows: Array<[number, number]> }> => {
      const sizedUrl = spec.sizedBytes ? `http://127.0.0.1:${bare.port}/sized/${spec.sizedBytes}` : null;
      const sizedSamples = new Samples();
      const target = { ...base, url: `${appUrl}${spec.path ?? ''}`, requests: spec.requests, kindOf: spec.kindOf };
      const drive = spec.drive ?? ((seconds: number, samples: Samples) => load({ ...target, seconds, samples }).then(() => undefined));
      if (warm) {
        await load({ ...base, url: bareUrl, seconds: settings.warmSeconds });
        await drive(settings.warmSeconds, new Samples());
      }
      const appSamples = new Samples();
      const bareSamples = new Samples();
      const windows: Array<[number, number]> = [];
      const slice = settings.seconds / settings.slices;
      const cpuSpent = { app: 0, database: 0, load: 0 };
      const runs: Array<() => Promise<unknown>> = [
        () => load({ ...base, url: bareUrl, seconds: slice, samples: bareSamples }),
        async () => {
          await spec.beforeApp?.(slice);
          const before = cpuNow();
          const from = Date.now();
          await drive(slice, appSamples);
          windows.push([from, Date.now()]);
          const after = cpuNow();
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
      allBare.merge(bareSamples);
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
      noteRss(name);
      log(
        `${name}: ${fmt(appStats.rps)} req/s = ${fmtRatio(phase.ratio)} bare (${fmt(bareStats.rps)} req/s alongside), ` +
          `p50 ${ms(appStats.p50)}, p99 ${ms(appStats.p99)}, errors ${appStats.errors}, non-2xx ${appStats.non2xx}, ` +
          `CPU per request: app ${phase.cpu.app.toFixed(2)} ms${phase.cpu.database === null ? '' : `, PostgreSQL ${phase.cpu.database.toFixed(2)} ms`}, ` +
          `load generator ${phase.cpu.load.toFixed(2)} ms`,
      );
      return { phase, samples: appSamples, windows };
    };

    /**
     * A phase that signs, with its mail watched: the outbox's depth sampled throughout, then
     * (bounded) until it is empty; each of its signings' mail latency.
     */
    const withMail = async <T>(
      group: string,
      run: () => Promise<{ windows: Array<[number, number]>; signed: number; value: T }>,
    ): Promise<{ figures: MailFigures; value: T }> => {
      const watch = new QueueWatch(pendingMail).start();
      let result: { windows: Array<[number, number]>; signed: number; value: T };
      try {
        result = await run();
      } finally {
        watch.stop();
      }
      const { windows, signed, value } = result;
      const lastEnd = Math.max(...windows.map(([, to]) => to));
      const emptiedAt = await watch.untilEmpty(MAIL_WAIT_MS);
      await ledger.collect();
      const latency = ledger.latency(group, windows);
      const seconds = sum(windows.map(([from, to]) => to - from)) / 1000;
      const flowing = windows.map(([from, to]): [number, number] => [Math.min(from + MAIL_START_MS, to), to]);
      const out = sum(flowing.map(([from, to]) => ledger.acceptedBetween(from, to)));
      const flowingSeconds = sum(flowing.map(([from, to]) => to - from)) / 1000;
      const firstStart = Math.min(...windows.map(([from]) => from));
      const busy = watch.busyIntervals().filter(([from]) => from >= firstStart);
      const busySeconds = sum(busy.map(([from, to]) => to - from)) / 1000;
      const figures: MailFigures = {
        latency,
        signRate: signed / seconds,
        outRate: flowingSeconds > 0 ? out / flowingSeconds : 0,
        depthMax: watch.max(),
        emptiedAfter: emptiedAt === null ? null : Math.max(0, emptiedAt - lastEnd) / 1000,
        afterRate:
          emptiedAt !== null && emptiedAt > lastEnd ? ledger.acceptedBetween(lastEnd, emptiedAt) / ((emptiedAt - lastEnd) / 1000) : null,
        busyRate: busySeconds > 0 ? sum(busy.map(([from, to]) => ledger.acceptedBetween(from, to))) / busySeconds : null,
      };
      log(
        `${group} mail: 2xx → SMTP p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)} (${fmt(latency.delivered)} delivered, ${fmt(latency.undelivered)} not); ` +
          `signing ${fmt(figures.signRate)}/s, mail out ${fmt(figures.outRate)}/s; queue max ${fmt(figures.depthMax)}, ` +
          (figures.emptiedAfter === null
            ? `not empty after ${MAIL_WAIT_MS / 1000} s`
            : `empty ${figures.emptiedAfter.toFixed(1)} s after the phase`),
      );
      return { figures, value };
    };
    const mail: Record<string, MailFigures> = {};

    // -- 1-3. reads ---------------------------------------------------------------------------
    if (only.has('count')) await paired('count', { path: `/api/v1/letters/${BENCH}/count` });
    if (only.has('letter')) await paired('letter', { path: `/api/v1/letters/${BENCH}` });
    if (only.has('page')) {
      const bytes = (await (await fetch(`${appUrl}/letters/${BENCH}`)).arrayBuffer()).byteLength;
      const { phase } = await paired('page', { path: `/letters/${BENCH}`, sizedBytes: bytes });
      if (phase.sized) log(`page: a bare route sending the same ${fmt(bytes)} bytes: ${fmt(phase.sized.rps)} req/s`);
    }

    // -- the public log: a full tile (immutable, kept in memory) and the checkpoint --------------
    if (only.has('log')) {
      // A full tile is 8 KiB (256 hashes): the reference is a bare route sending as many bytes.
      const { phase } = await paired('tile', { path: `/letters/${BENCH}/log/tile/0/000`, sizedBytes: 8192 });
      if (phase.sized) log(`tile: a bare route sending the same 8,192 bytes: ${fmt(phase.sized.rps)} req/s`);
      await paired('checkpoint', { path: `/letters/${BENCH}/log/checkpoint` });
    }

    // -- 4-5. writes, with mail going out all along --------------------------------------------
    let signRps = 0;
    let verifyRps = 0;
    if (only.has('writes')) {
      const signing = await withMail('sign', async () => {
        const { phase, samples, windows } = await paired('sign', { requests: [signers.request(BENCH, 'b', 'sign')] });
        return { windows, signed: samples.count(undefined, true), value: phase.app.rps };
      });
      mail.sign = signing.figures;
      signRps = signing.value;
      const exhaustedBefore = ledger.exhausted;
      const topUp = verifyTopUp('b', BENCH, signRps);
      verifyRps = (await paired('verify', { requests: [ledger.verifyRequest('b')], beforeApp: topUp }, false)).phase.app.rps;
      if (ledger.exhausted > exhaustedBefore) log(`verify ran out of fresh tokens ${ledger.exhausted - exhaustedBefore} times`);
      summary.checks.verifyTokensExhausted = ledger.exhausted - exhaustedBefore;
      await checkCorrectness('after the write phases', db, signers, failures, summary);
    }

    // -- 6. spikes -------------------------------------------------------------------------------
    let mixed: { reads: Stats; signs: Stats; ratio: number } | null = null;
    let spike: { reads: Stats; signs: Stats; ratio: number; bare: Stats } | null = null;
    let sustained: {
      seconds: SpikeSecond[];
      reads: Stats;
      signs: Stats;
      depthEnd: number;
      emptiedAfter: number | null;
      latency: Latency;
    } | null = null;
    if (only.has('spike')) {
      const read = (path: string): RequestSpec => ({ method: 'GET', path });
      const countPath = `/api/v1/letters/${BENCH}/count`;
      const letterPath = `/api/v1/letters/${BENCH}`;
      // The old method, kept for comparison: nine reads (count and letter JSON) then a signing, on every connection.
      const old = await withMail('mixed', async () => {
        const mix: RequestSpec[] = [
          ...Array.from({ length: 9 }, (_, i) => read(i % 2 ? letterPath : countPath)),
          signers.request(BENCH, 'p', 'mixed'),
        ];
        const kindOf = (index: number) => (index === mix.length - 1 ? 'sign' : 'read');
        const { phase, samples, windows } = await paired('mixed', { requests: mix, kindOf });
        const reads = samples.stats('read');
        const value = { reads, signs: samples.stats('sign'), ratio: reads.rps / phase.bare.rps };
        log(`mixed spike (old method): reads ${fmt(reads.rps)}/s = ${fmtRatio(value.ratio)} bare, signing ${fmt(value.signs.rps)}/s`);
        return { windows, signed: samples.count('sign', true), value };
      });
      mail.mixed = old.figures;
      mixed = old.value;

      // Readers and signers on connections of their own, signers at a fixed offered rate.
      const setup: SpikeSetup = {
        url: appUrl,
        slug: BENCH,
        readConnections: settings.connections,
        signRate: settings.spikeSignRate,
        signers,
      };
      log(
        `spike: ${settings.connections} reader connections at full speed, ${signConnections(settings.spikeSignRate)} signer connections offering ${fmt(settings.spikeSignRate)} signings/s`,
      );
      const apart = await withMail('spike', async () => {
        const drive = async (seconds: number, samples: Samples) => {
          const reads = new Samples();
          const signs = new Samples();
          await spikeLoad(setup, seconds, { reads, signs, tag: 'q', group: 'spike' });
          samples.merge(reads);
          samples.merge(signs, false);
        };
        const { phase, samples, windows } = await paired('spike', { drive });
        const reads = samples.stats('read');
        const value = { reads, signs: samples.stats('sign'), ratio: reads.rps / phase.bare.rps, bare: phase.bare };
        log(
          `spike: reads ${fmt(reads.rps)}/s = ${fmtRatio(value.ratio)} bare, signing ${fmt(value.signs.rps)}/s of ${fmt(settings.spikeSignRate)} offered (${value.signs.non2xx} non-2xx)`,
        );
        return { windows, signed: samples.count('sign', true), value };
      });
      mail.spike = apart.figures;
      spike = apart.value;

      // The same, sustained: not sliced, sampled every second.
      log(`sustained spike: ${settings.sustainedSeconds} s…`);
      const watch = new QueueWatch(pendingMail);
      const run = await sustainedSpike(setup, settings.sustainedSeconds, pendingMail, { tag: 'r', group: 'sustained' });
      const depthEnd = await watch.sample();
      const emptiedAt = await watch.untilEmpty(MAIL_WAIT_MS);
      await ledger.collect();
      completeSeconds(run, ledger, 'sustained');
      sustained = {
        seconds: run.seconds,
        reads: run.reads.stats('read'),
        signs: run.signs.stats('sign'),
        depthEnd,
        emptiedAfter: emptiedAt === null ? null : (emptiedAt - run.endedAt) / 1000,
        latency: ledger.latency('sustained'),
      };
      noteRss('sustained');
      const p99s = spread(run.seconds.map((s) => s.mailP99));
      log(
        `sustained spike: reads ${fmt(sustained.reads.rps)}/s, signing ${fmt(sustained.signs.rps)}/s, ` +
          `mail p99 per second ${ms(p99s.min)}…${ms(p99s.max)}, queue at the end ${fmt(depthEnd)}`,
      );
    }

    // -- 6b. a large update to signers, while people sign another letter -------------------
    // The update is sent as an operator would from a script (the real CLI), and goes out through
    // the outbox's bulk lane at UPDATES_PER_SECOND; confirmation mail must not wait behind it.
    let update: { latency: Latency; signed: number; updateRate: number; seconds: number } | null = null;
    if (only.has('update')) {
      const bulletin = join(dir, 'update.md');
      writeFileSync(bulletin, 'We delivered the letter this morning. Thank you for signing: **what comes next**, and how to help.\n');
      const cli = spawnSync(
        process.execPath,
        ['dist/cli/index.js', 'send-update', UPDATE, bulletin, '--subject', 'The letter was delivered'],
        {
          env: { ...process.env, ...appEnv },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      if (cli.status !== 0) failures.push(`send-update exited ${cli.status}: ${cli.stderr.trim().split('\n').at(-1) ?? ''}`);
      // Until its mail flows (bounded): the fan-out queues it, the bulk lane sends it.
      const deadline = Date.now() + 30_000;
      while (ledger.others === 0 && Date.now() < deadline) {
        await sleep(100);
        await ledger.collect();
      }
      const othersBefore = ledger.others;
      const startedAt = Date.now();
      // Twenty signings a second on another letter, one connection each (a closed loop would
      // measure the signings' own latency, not their mail's).
      const samples = await load({
        connections: 4,
        url: appUrl,
        requests: [signers.request(BENCH, 'w', 'update')],
        overallRate: 20,
        seconds: settings.seconds,
      });
      const seconds = (Date.now() - startedAt) / 1000;
      const mailDeadline = Date.now() + MAIL_WAIT_MS;
      do {
        await sleep(200);
        await ledger.collect();
      } while (ledger.pending('update') > 0 && Date.now() < mailDeadline);
      const sent = ledger.others - othersBefore;
      update = { latency: ledger.latency('update'), signed: samples.count(undefined, true), updateRate: sent / seconds, seconds };
      log(`update: ${fmt(update.updateRate)} update mails/s going out; confirmations 2xx → SMTP ${latencyText(update.latency)}`);
      // The rest of the update would run under the next phases: stop it here (benchmark only).
      await db.sql("UPDATE letter_updates SET status = 'sent' WHERE status = 'sending'");
      await db.sql("DELETE FROM outbox WHERE status = 'pending' AND priority > 0");
      noteRss('update');
    }

    // -- 7. scale: the same reads on a letter with 1,000,000 signatures and one with 1,000 -------
    // Per run: mean latency on each letter (run back to back), so each pair sees the same background load.
    const scale: Record<string, { small: number[]; big: number[]; smallP99: number[]; bigP99: number[] }> = {};
    if (only.has('scale')) {
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
      await compare('sign', (slug) => ({ requests: [signers.request(slug, tagOf(slug), 'scale')] }), false);
      const exhaustedBefore = ledger.exhausted;
      const topUps: Record<string, () => Promise<void>> = {};
      for (const slug of [SMALL, BIG]) {
        const topUp = verifyTopUp(tagOf(slug), slug, verifyRps || signRps);
        topUps[slug] = () => topUp(scaleSeconds);
      }
      // The specs are built per run; the token requests and top-ups persist per letter.
      const verifySpecs: Record<string, RequestSpec> = {
        [SMALL]: ledger.verifyRequest(tagOf(SMALL)),
        [BIG]: ledger.verifyRequest(tagOf(BIG)),
      };
      await compare('verify', (slug) => ({ requests: [verifySpecs[slug] as RequestSpec], before: topUps[slug] }), false);
      summary.checks.scaleVerifyTokensExhausted = ledger.exhausted - exhaustedBefore;
      noteRss('scale');
    }

    // Everything queued is delivered before the end, so the final memory is that of a server at rest.
    const atRest = new QueueWatch(pendingMail);
    const restAt = await atRest.untilEmpty(MAIL_WAIT_MS * 1.5);
    summary.checks.outboxAtEnd = { pending: restAt === null ? await pendingMail() : 0 };
    await ledger.collect();

    // -- 8. export ------------------------------------------------------------------------------
    let exported: { rows: number; ms: number; rssBefore: number; rssMax: number } | null = null;
    if (only.has('export')) {
      // Every signature of the letter, whatever its state: the seeded ones and the scale phases' own.
      const expected = await db.one<number>('SELECT count(*) FROM signatures WHERE letter_id = ?', letterId(BIG));
      exported = await runExport(db.url, letterId(BIG));
      log(`export: ${exported.rows} rows in ${(exported.ms / 1000).toFixed(1)} s, RSS +${mb(exported.rssMax - exported.rssBefore)} MB`);
      if (exported.rows !== expected) failures.push(`export wrote ${exported.rows} rows, expected ${expected}`);
    }

    // -- final checks, memory, and the stop ------------------------------------------------------
    if (only.has('writes') || only.has('scale') || only.has('spike')) {
      await checkCorrectness('at the end', db, signers, failures, summary);
      // Every signing answered 2xx has had its confirmation mail (the outbox is empty by now).
      const unmailed = ledger.pending();
      summary.checks.mail = {
        unmailed,
        repeats: ledger.repeats,
        cutOff: ledger.strangers,
        withoutToken: ledger.withoutToken,
        received: ledger.received,
      };
      if (unmailed > 0) failures.push(`${unmailed} signings answered 2xx got no mail`);
      if (ledger.withoutToken > 0) failures.push(`${ledger.withoutToken} confirmation mails without a /verify/ link the sink could read`);
      log(
        `mail: ${fmt(ledger.received)} messages at the sink, ${unmailed} signings answered 2xx without mail, ` +
          `${ledger.repeats} repeated to a signer (used links), ${ledger.strangers} for signings cut off at the end of a run`,
      );
    }
    const rssAtEnd = app.usage();
    const stopped: AppExit = await app.stop();
    running = null;
    log(`app stopped by SIGTERM: exit code ${stopped.code ?? stopped.signal} after ${stopped.seconds.toFixed(1)} s`);
    summary.stop = stopped;

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
          `for reference a bare route sending the same ${fmt(phase.sized.bytes)} bytes: ${fmt(phase.sized.rps)} req/s = ${fmtRatio(phase.sized.rps / phase.bare.rps)} bare, this ${fmtRatio(a.rps / phase.sized.rps)} of it`,
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
    /** A phase's mail latency: 2xx → accepted by SMTP, and the outbox's depth meanwhile. */
    const latencyRow = (what: string, figures: MailFigures | undefined) => {
      if (!figures) return;
      const l = figures.latency;
      rows.push({
        what,
        measured:
          `${latencyText(l)}; outbox at most ${fmt(figures.depthMax)} queued (sampled every 200 ms), ` +
          (figures.emptiedAfter === null
            ? `not empty ${MAIL_WAIT_MS / 1000} s after the phase`
            : `empty ${figures.emptiedAfter.toFixed(1)} s after the phase`),
        target: `p99 ≤ ${MAIL_P99_TARGET_MS / 1000} s; every 2xx mailed`,
        pass: l.p99 <= MAIL_P99_TARGET_MS && l.undelivered === 0 && l.delivered > 0,
      });
    };
    ratioRow('count JSON', phases.count, 0.85, { p99Max: 20 });
    ratioRow('letter JSON', phases.letter, 0.7);
    ratioRow('letter HTML page', phases.page, 0.5);
    ratioRow('public log: a full tile (8 KiB)', phases.tile, 0.8);
    ratioRow('public log: the checkpoint', phases.checkpoint, 0.8);
    ratioRow('sign (JSON POST)', phases.sign, 0.35, { zeroErrors: true });
    latencyRow('mail latency during signing: 2xx → accepted by SMTP', mail.sign);
    if (mail.sign) {
      const m = mail.sign;
      rows.push({
        what: 'mail drain ≥ signing rate (mail goes out while signing, as in production)',
        measured:
          `signing ${fmt(m.signRate)}/s; mail accepted by SMTP ${fmt(m.outRate)}/s during the signing slices (from ${MAIL_START_MS / 1000} s into each)` +
          (m.afterRate === null ? '' : `, ${fmt(m.afterRate)}/s after them until the queue was empty`) +
          `; ${m.busyRate === null ? 'the queue was never seen non-empty' : `${fmt(m.busyRate)} mails/s whenever mail was queued`}`,
        target: 'mail out ≥ 95 % of the signing rate while signing (the queue does not grow); the queue empties after',
        pass: m.outRate >= 0.95 * m.signRate && m.emptiedAfter !== null,
      });
    }
    ratioRow('verify (POST /verify/:token)', phases.verify, 0.35);
    if (mixed) {
      const x = mixed;
      rows.push({
        what: 'mixed spike, old method: each connection sends nine reads (count/letter JSON) then a signing',
        measured: `reads ${fmt(x.reads.rps)}/s = ${fmtRatio(x.ratio)} bare (p50 ${ms(x.reads.p50)}, p99 ${ms(x.reads.p99)}); signing ${fmt(x.signs.rps)}/s (${x.signs.non2xx} non-2xx)`,
        target: 'reads ≥ 0.6× bare',
        pass: x.ratio >= 0.6 && x.signs.non2xx === 0,
      });
      latencyRow('mail latency during the old-method spike', mail.mixed);
    }
    const offered = settings.spikeSignRate;
    const answered = (signs: Stats) => (signs.responses - signs.non2xx) / signs.seconds;
    const signingText = (signs: Stats) =>
      `signing ${fmt(answered(signs))}/s answered 2xx of ${fmt(offered)}/s offered (${Math.round((100 * answered(signs)) / offered)} %; ` +
      `p50 ${ms(signs.p50)}, p99 ${ms(signs.p99)}), ${signs.non2xx} non-2xx, ${signs.errors} errors`;
    const signingKeptUp = (signs: Stats) => answered(signs) >= 0.95 * offered && signs.non2xx === 0 && signs.errors === 0;
    if (spike) {
      const s = spike;
      rows.push({
        what: `spike: readers (${settings.connections} connections, full speed, count/letter JSON) and signers (${signConnections(offered)} connections, ${fmt(offered)}/s offered) apart`,
        measured: `reads ${fmt(s.reads.rps)}/s = ${fmtRatio(s.ratio)} bare (${fmt(s.bare.rps)} alongside; p50 ${ms(s.reads.p50)}, p99 ${ms(s.reads.p99)}); ${signingText(s.signs)}`,
        target: 'reads ≥ 0.6× bare; signing ≥ 95 % of offered; 0 non-2xx',
        pass: s.ratio >= 0.6 && signingKeptUp(s.signs),
      });
      latencyRow('mail latency during the spike', mail.spike);
    }
    if (sustained) {
      const u = sustained;
      const reads = spread(u.seconds.map((s) => s.reads));
      const bareRps = spike?.bare.rps ?? bareStats.rps;
      rows.push({
        what: `sustained spike: the same for ${settings.sustainedSeconds} s without a pause (chart below)`,
        measured:
          `reads per second ${fmt(reads.min)} / ${fmt(reads.median)} / ${fmt(reads.max)} (min/median/max) = ${fmtRatio(reads.median / bareRps)} bare (median; bare ${fmt(bareRps)} in the spike's slices); ` +
          signingText(u.signs),
        target: 'reads ≥ 0.6× bare; signing ≥ 95 % of offered; 0 non-2xx',
        pass: reads.median / bareRps >= 0.6 && signingKeptUp(u.signs),
      });
      const p99s = spread(u.seconds.map((s) => s.mailP99));
      const depth = spread(u.seconds.map((s) => s.depth));
      const mails = spread(u.seconds.map((s) => s.mails));
      rows.push({
        what: 'mail during the sustained spike',
        measured:
          `each second's p99 ${delay(p99s.median)} median, ${delay(p99s.max)} worst; all: ${latencyText(u.latency)}; ` +
          `mail out per second ${fmt(mails.median)} median vs signing ${fmt(u.signs.rps)}/s; outbox ${fmt(depth.median)} median, ${fmt(depth.max)} max, ${fmt(u.depthEnd)} at the end, ` +
          (u.emptiedAfter === null ? `not empty ${MAIL_WAIT_MS / 1000} s later` : `empty ${u.emptiedAfter.toFixed(1)} s after`),
        target: `every second's p99 ≤ ${MAIL_P99_TARGET_MS / 1000} s; every 2xx mailed`,
        pass: p99s.max <= MAIL_P99_TARGET_MS && u.latency.undelivered === 0 && u.latency.delivered > 0,
      });
    }
    if (update) {
      const u = update;
      rows.push({
        what: `confirmation mail during a ${fmt(settings.updateSize)}-recipient update (UPDATES_PER_SECOND=${fmt(settings.updateRate)}; 20 signings/s on another letter)`,
        measured: `2xx → SMTP ${latencyText(u.latency)}; update mail going out at ${fmt(u.updateRate)}/s meanwhile`,
        target: `p99 ≤ ${MAIL_P99_TARGET_MS / 1000} s; every 2xx mailed`,
        pass: u.latency.p99 <= MAIL_P99_TARGET_MS && u.latency.undelivered === 0 && u.latency.delivered > 0,
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
    const stillQueued = (summary.checks.outboxAtEnd as { pending: number }).pending;
    const perProcess = rssAtEnd.processes.map((p, i) => `${i === 0 ? 'primary' : `worker ${i}`} ${mb(p.rss)}`).join(' + ');
    rows.push({
      what: 'app RSS after the whole benchmark (every process of `node dist/main.js`, from /proc)',
      measured:
        `${mb(rssAtEnd.rss)} MB${rssAtEnd.processes.length > 1 ? ` (${perProcess} MB)` : ''}, at rest${stillQueued > 0 ? ` (but ${stillQueued} mails still queued)` : ''}; ` +
        `after each phase: ${Object.entries(rssTrail)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      target: '< 200 MB',
      pass: rssAtEnd.rss < 200 * 1024 * 1024,
    });
    rows.push({
      what: 'stop: SIGTERM to the app',
      measured: `exit code ${stopped.code ?? `none (${stopped.signal})`} after ${stopped.seconds.toFixed(1)} s`,
      target: 'exit 0 within 15 s',
      pass: stopped.code === 0 && stopped.seconds <= 15,
    });
    rows.push({
      what: 'correctness: every 2xx signing stored and mailed; counters = recomputation',
      measured:
        failures.length === 0 ? `${fmt(signers.count())} accepted signings all stored and mailed; findDrift empty` : failures.join('; '),
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
    summary.mail = Object.fromEntries(
      Object.entries(mail).map(([group, m]) => [
        group,
        {
          p50Ms: round(m.latency.p50),
          p99Ms: round(m.latency.p99),
          maxMs: round(m.latency.max),
          delivered: m.latency.delivered,
          undelivered: m.latency.undelivered,
          signRate: round(m.signRate),
          outRate: round(m.outRate),
          afterRate: m.afterRate === null ? null : round(m.afterRate),
          busyRate: m.busyRate === null ? null : round(m.busyRate),
          depthMax: m.depthMax,
          emptiedAfterSeconds: m.emptiedAfter === null ? null : round(m.emptiedAfter, 1),
        },
      ]),
    );
    const mixedRun = mixed;
    summary.mixed = mixedRun && {
      readRps: round(mixedRun.reads.rps),
      readRatio: round(mixedRun.ratio, 3),
      signRps: round(mixedRun.signs.rps),
    };
    const spikeRun = spike;
    summary.spike = spikeRun && {
      readRps: round(spikeRun.reads.rps),
      readRatio: round(spikeRun.ratio, 3),
      signRps: round(spikeRun.signs.rps),
      offeredSignRps: offered,
      mailP99Ms: mail.spike ? round(mail.spike.latency.p99) : null,
    };
    const sustainedRun = sustained;
    const seriesSpread = sustainedRun && {
      reads: spread(sustainedRun.seconds.map((s) => s.reads)),
      signings: spread(sustainedRun.seconds.map((s) => s.signings)),
      mails: spread(sustainedRun.seconds.map((s) => s.mails)),
      depth: spread(sustainedRun.seconds.map((s) => s.depth)),
      mailP99Ms: spread(sustainedRun.seconds.map((s) => s.mailP99)),
    };
    summary.sustained = sustainedRun && {
      seconds: settings.sustainedSeconds,
      series: seriesSpread,
      perSecond: sustainedRun.seconds.map(({ t, reads, signings, mails, depth, mailP99 }) => ({
        t: round(t, 2),
        reads: round(reads),
        signings: round(signings),
        mails: round(mails),
        depth,
        mailP99Ms: mailP99 === null ? null : round(mailP99),
      })),
    };
    summary.update = update && {
      recipients: settings.updateSize,
      updatesPerSecond: round(update.updateRate),
      confirmationP50Ms: round(update.latency.p50),
      confirmationP99Ms: round(update.latency.p99),
      undelivered: update.latency.undelivered,
    };
    summary.scale = scaleSummary;
    summary.memory = {
      trailMb: rssTrail,
      rssStartMb: mb(rssAtStart),
      rssEndMb: mb(rssAtEnd.rss),
      processesMb: rssAtEnd.processes.map((p) => mb(p.rss)),
    };
    summary.targetsMissed = rows.filter((r) => r.pass === false).map((r) => r.what);
    summary.correct = failures.length === 0;
    summary.seconds = round((Date.now() - started) / 1000);

    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}`;
    const chart =
      sustainedRun && seriesSpread
        ? {
            file: CHART_NAME,
            seconds: settings.sustainedSeconds,
            readConnections: settings.connections,
            signConnections: signConnections(offered),
            offered,
            series: seriesSpread,
          }
        : null;
    const markdown = renderResults(rows, { settings, scaleSeconds, machine, date: new Date(), quick, chart });
    if (!flags['no-write']) {
      writeFileSync(RESULTS_FILE, markdown);
      if (sustainedRun) {
        const title = `Sustained spike: ${settings.sustainedSeconds} s, ${settings.store === 'sqlite' ? 'SQLite' : `PostgreSQL, ${settings.workers} process${settings.workers > 1 ? 'es' : ''}`}`;
        const description =
          `Per second of a ${settings.sustainedSeconds} s spike on ${machine}: reads answered (${settings.connections} reader connections at full speed), ` +
          `signings answered 2xx (offered ${fmt(offered)}/s) and mail accepted by SMTP, the outbox's depth, and the p99 latency from a signing's 2xx to its mail accepted by SMTP.`;
        writeFileSync(
          fileURLToPath(new URL(`./${CHART_NAME}`, import.meta.url)),
          spikeChart(sustainedRun.seconds, { title, description, offeredSignRate: offered }),
        );
      }
      recordRun(MAIN_RESULTS, settings.store, settings.workers, { ...summary, date: new Date().toISOString(), quick });
    }
    process.stderr.write(`\n${markdown}\n`);

    process.stdout.write(
      `${JSON.stringify({ ...summary, sustained: sustainedRun && { seconds: settings.sustainedSeconds, series: seriesSpread } })}\n`,
    );
    if (failures.length > 0) {
      log(`CORRECTNESS FAILED: ${failures.join('; ')}`);
      return 1;
    }
    return 0;
  } finally {
    await running?.stop();
    await Promise.all(children.map((c) => c.stop()));
    await db.drop();
    if (!flags.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
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
/** A mail's delay as people read it: "85 ms", "1.24 s". */
const delay = (n: number) => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);
const latencyText = (l: Latency) =>
  `p50 ${delay(l.p50)}, p99 ${delay(l.p99)}, max ${delay(l.max)} over ${fmt(l.delivered)} signings${l.undelivered > 0 ? `, ${fmt(l.undelivered)} never mailed` : ', all mailed'}`;

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
