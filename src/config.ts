// One zod schema over the environment, parsed once at start. Defaults make `npm start` work with
// nothing set; a bad value stops the process with a message naming the variable.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseMs } from '@lukeed/ms';
import { z } from 'zod';
import { generateSigningKey, NoteError, parseSigningKey } from './domain/signed-note.js';
import { makeFolder } from './make-folder.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * "15 minutes", "1 hour", "30s", "900000" → milliseconds, parsed as @fastify/rate-limit parses
 * its windows, so every *_WINDOW setting means the same thing; anything else stops the start.
 */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseMs(text.trim());
      if (ms === undefined || !(ms > 0)) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (try "1 minute" or "15 minutes")` });
        return z.NEVER;
      }
      return ms;
    });

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY besides addresses and CIDRs. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The reverse proxies whose X-Forwarded-For is believed: addresses, CIDRs or range names, comma
 * separated. `true` would believe a client's own header, and a hop count is ignored by the
 * Fastify version in use (it reads no header at all for numbers): both are refused.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((text, ctx): false | string[] => {
    const value = text.trim();
    if (value === 'false' || value === 'off' || value === '0') return false;
    if (value === 'true' || value === 'on') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would trust every hop, so any client could choose its own address with X-Forwarded-For (and slip past the per-IP limits): give the proxy’s address or CIDR instead, e.g. TRUST_PROXY=127.0.0.1',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a hop count is not supported: give the proxy’s address or CIDR, e.g. TRUST_PROXY=10.0.0.0/8',
      });
      return z.NEVER;
    }
    const entries = value.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !PROXY_RANGES.has(e) && !isAddressOrCidr(e));
    if (bad.length > 0 || entries.length === 0) {
      ctx.addIssue({ code: 'custom', message: `not an address, CIDR or range name: ${bad.join(', ') || '(empty)'}` });
      return z.NEVER;
    }
    return entries;
  });

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** file:PATH (SQLite) or postgres://… (PostgreSQL). Unset: SQLite at DATA_DIR/undersigned.db. */
    DATABASE_URL: z.string().refine(isDatabaseUrl, 'must be file:path/to/db.sqlite, or postgres://user@host:5432/database').optional(),
    /** Files the app keeps beside the database, shared by every process: the dev secret and outbox. */
    DATA_DIR: z.string().min(1).optional(),
    /** PostgreSQL: connections per process, and how long a statement may run. */
    DB_POOL_SIZE: positiveInt(10),
    DB_STATEMENT_TIMEOUT: duration('15 seconds'),
    /** Slots each counter is split into (see the schema). Default: 1 on SQLite, 16 on PostgreSQL. */
    COUNTER_SLOTS: z.coerce.number().int().min(1).max(256).optional(),
    /** Processes serving the port. Default: 1 on SQLite, one per CPU on PostgreSQL. */
    WORKERS: z.coerce.number().int().min(1).max(64).optional(),
    /** redis://…: rate limits live there instead of the database (several processes or machines). */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Starts every key the site keeps in Redis, so several sites can share one Redis. */
    REDIS_KEY_PREFIX: z.string().min(1).max(100).default('undersigned:'),
    /** How long a sender's claim on queued mail holds; mail of a process that died goes out after it. */
    OUTBOX_LEASE: duration('60 seconds'),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    /** smtp: SMTP_URL; file: .eml files in the data folder. Unset: smtp when SMTP_URL is set. */
    MAIL_TRANSPORT: z.enum(['smtp', 'file']).optional(),
    MAIL_FROM: z.string().min(3).default('Undersigned <no-reply@undersigned.localhost>'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Signs the letters' public logs: PRIVATE+KEY+<name>+<hex id>+<base64 key>, named for PUBLIC_URL's host. */
    LOG_SIGNING_KEY: z.string().superRefine(signingKeyIssue).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: trustProxy,
    SEED_DEMO: bool(true),
    /** Rate limits and the spike guard can be switched off for load tests, never in production. */
    RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    SPIKE_GUARD: z.enum(['on', 'off']).default('on'),
    SIGN_LIMIT_PER_IP: positiveInt(20),
    SIGN_LIMIT_PER_LETTER: positiveInt(600),
    SIGN_LIMIT_WINDOW: duration('1 minute'),
    /** Confirmation and withdrawal link POSTs per IP per SIGN_LIMIT_WINDOW. */
    LINK_LIMIT_PER_IP: positiveInt(30),
    LOGIN_LIMIT_PER_IP: positiveInt(20),
    /** Failed sign-ins per account from one IP: someone guessing elsewhere cannot lock the owner out. */
    LOGIN_LIMIT_PER_ACCOUNT: positiveInt(5),
    /** Failed sign-ins per account from everywhere, for devices that never signed in to it. */
    LOGIN_LIMIT_PER_ACCOUNT_GLOBAL: positiveInt(100),
    LOGIN_LIMIT_WINDOW: duration('15 minutes'),
    /** Share of a letter's recent signatures one IP, /24 or email domain may have before holding. */
    SPIKE_SHARE: z.coerce.number().gt(0).max(1).default(0.3),
    SPIKE_MIN_SIGNATURES: positiveInt(50),
    SPIKE_WINDOW_MINUTES: positiveInt(10),
    BLOCK_DISPOSABLE_EMAIL: bool(false),
    /** A form sent faster than this gets a page asking to press the button again (a person can). */
    SIGN_MIN_FILL_MS: z.coerce.number().int().min(0).max(10_000).default(2000),
    COUNT_MAX_AGE: z.coerce.number().int().min(0).default(5),
    COUNT_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(30),
    /** FULL makes every committed signature survive power loss; see README. */
    DB_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    OUTBOX_POLL_MS: positiveInt(500),
    /** Update mail leaving per second, across every process (confirmations are never held by it). */
    UPDATES_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  })
  .superRefine((env, ctx) => {
    const postgres = env.DATABASE_URL !== undefined && !env.DATABASE_URL.startsWith('file:');
    if (!postgres && env.WORKERS !== undefined && env.WORKERS > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKERS'],
        message:
          'more than one process needs PostgreSQL (SQLite has one writer and keeps rate limits in memory): set DATABASE_URL=postgres://…',
      });
    }
    if (env.MAIL_TRANSPORT === 'smtp' && !env.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['MAIL_TRANSPORT'], message: 'smtp needs SMTP_URL' });
    }
    if (env.NODE_ENV !== 'production') return;
    if (!env.SMTP_URL && env.MAIL_TRANSPORT !== 'file') {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'is required in production (set MAIL_TRANSPORT=file to write mail to files in the data folder instead)',
      });
    }
    if (!env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
    if (!env.LOG_SIGNING_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOG_SIGNING_KEY'],
        message: 'is required in production: create one with `npm run cli -- log-key` and keep it secret',
      });
    }
    for (const key of ['RATE_LIMIT', 'SPIKE_GUARD'] as const) {
      if (env[key] === 'off') {
        ctx.addIssue({ code: 'custom', path: [key], message: 'cannot be off in production' });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export type StoreChoice = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface Config
  extends Omit<
    Env,
    'PUBLIC_URL' | 'SESSION_SECRET' | 'LOG_SIGNING_KEY' | 'DATABASE_URL' | 'DATA_DIR' | 'MAIL_TRANSPORT' | 'COUNTER_SLOTS' | 'WORKERS'
  > {
  PUBLIC_URL: string;
  SESSION_SECRET: string;
  /** The private key the public logs are signed with (generated into the data folder outside production). */
  LOG_SIGNING_KEY: string;
  MAIL_TRANSPORT: 'smtp' | 'file';
  COUNTER_SLOTS: number;
  WORKERS: number;
  /** The database, chosen once from DATABASE_URL. */
  store: StoreChoice;
  /** /dev/outbox is served: development only, on a loopback address, with file mail. */
  devOutbox: boolean;
  /** Absolute folder for the files the app keeps (dev secret, dev outbox; the SQLite file by default). */
  dataDir: string;
  /** Where the development outbox writes .eml files when SMTP_URL is unset. */
  outboxDir: string;
  production: boolean;
  /** When the site is served over https (Secure cookies, HSTS). */
  https: boolean;
}

export class ConfigError extends Error {}

/** Parses the environment. Throws ConfigError with one line per bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Env {
  // Empty strings mean "unset", as in most shells' `FOO= npm start`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  return result.data;
}

/** Parses the environment and prepares the data folder (creating a dev session secret if needed). */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Config {
  const parsed = parseEnv(env);
  const store = storeChoice(parsed);
  // Files live beside a SQLite database unless DATA_DIR says otherwise (as they always have).
  const dataDir = resolve(parsed.DATA_DIR ?? (store.kind === 'sqlite' ? dirname(store.path) : 'data'));
  // Named after the variable that chose the folder, so a path that cannot be used says which to fix.
  const folderFrom = parsed.DATA_DIR === undefined && parsed.DATABASE_URL !== undefined ? 'DATABASE_URL' : 'DATA_DIR';
  const sessionSecret = inDataDir(folderFrom, dataDir, () => {
    makeFolder(dataDir);
    return parsed.SESSION_SECRET ?? devSessionSecret(dataDir);
  });
  const publicUrl = publicUrlOf(parsed);
  const mailTransport = parsed.MAIL_TRANSPORT ?? (parsed.SMTP_URL ? 'smtp' : 'file');
  const logKeyName = new URL(publicUrl).host;
  if (parsed.LOG_SIGNING_KEY && parseSigningKey(parsed.LOG_SIGNING_KEY).name !== logKeyName) {
    throw new ConfigError(
      `Invalid configuration: LOG_SIGNING_KEY: it is named "${parseSigningKey(parsed.LOG_SIGNING_KEY).name}", not "${logKeyName}" (the host of PUBLIC_URL): create one for this host with \`npm run cli -- log-key\``,
    );
  }
  return {
    ...parsed,
    PUBLIC_URL: publicUrl,
    SESSION_SECRET: sessionSecret,
    LOG_SIGNING_KEY: parsed.LOG_SIGNING_KEY ?? inDataDir(folderFrom, dataDir, () => devLogSigningKey(dataDir, logKeyName)),
    MAIL_TRANSPORT: mailTransport,
    COUNTER_SLOTS: parsed.COUNTER_SLOTS ?? (store.kind === 'sqlite' ? 1 : 16),
    WORKERS: parsed.WORKERS ?? (store.kind === 'sqlite' ? 1 : availableParallelism()),
    store,
    devOutbox: parsed.NODE_ENV === 'development' && isLoopback(parsed.HOST) && mailTransport === 'file',
    dataDir,
    outboxDir: join(dataDir, 'outbox'),
    production: parsed.NODE_ENV === 'production',
    https: publicUrl.startsWith('https://'),
  };
}

/**
 * The site's address in every link it gives out (mail, canonical URLs, the feed, the CLI's
 * sign-in links): PUBLIC_URL, else where the server listens, http://HOST:PORT (a wildcard HOST
 * as 127.0.0.1). The server and the CLI both take it from here, so the same variables give the
 * same links.
 */
export function publicUrlOf(env: Pick<Env, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  return (env.PUBLIC_URL ?? `http://${hostForUrl(env.HOST)}:${env.PORT}`).replace(/\/+$/, '');
}

function isDatabaseUrl(url: string): boolean {
  if (/^file:.+/.test(url)) return true;
  if (!/^postgres(ql)?:\/\//.test(url)) return false;
  try {
    return new URL(url).hostname !== '' || new URL(url).searchParams.has('host');
  } catch {
    return false;
  }
}

function storeChoice(env: Env): StoreChoice {
  const url = env.DATABASE_URL;
  if (url && !url.startsWith('file:')) return { kind: 'postgres', url };
  const file = url ? url.slice('file:'.length) : join(env.DATA_DIR ?? 'data', 'undersigned.db');
  return { kind: 'sqlite', path: isAbsolute(file) ? file : resolve(file) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function inDataDir<T>(variable: string, dataDir: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${variable}: cannot use the folder ${dataDir} (${reason})`);
  }
}

/** Outside production the secret is generated once and kept beside the database. */
function devSessionSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Outside production the log's signing keys are generated and kept beside the database, one a
 * line, each named for the host of a PUBLIC_URL it ran under: another port gets a key of its
 * own, and no key is ever replaced (logs already signed with it must keep verifying).
 */
function devLogSigningKey(dataDir: string, name: string): string {
  const file = join(dataDir, 'log-signing-key');
  const kept = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const mine = kept.find((line) => {
    try {
      return parseSigningKey(line).name === name;
    } catch {
      return false;
    }
  });
  if (mine) return mine;
  const key = generateSigningKey(name);
  writeFileSync(file, `${[...kept, key].join('\n')}\n`, { mode: 0o600 });
  return key;
}

function signingKeyIssue(text: string, ctx: z.RefinementCtx): void {
  try {
    parseSigningKey(text);
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    ctx.addIssue({ code: 'custom', message: `not a signing key (${error.message}); create one with \`npm run cli -- log-key\`` });
  }
}
