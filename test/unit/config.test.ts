import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv } from '../../src/config.js';
import { generateSigningKey, parseSigningKey } from '../../src/domain/signed-note.js';

/** A log signing key for the default PUBLIC_URL's host, as production requires one. */
const LOG_SIGNING_KEY = generateSigningKey('127.0.0.1:3000');

describe('config', () => {
  it('works with nothing set', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.RATE_LIMIT).toBe('on');
    // Unset, the database is SQLite at data/undersigned.db (relative to where the app starts).
    const cwd = process.cwd();
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'undersigned-config-')));
    process.chdir(dir);
    try {
      expect(loadConfig({}).store).toEqual({ kind: 'sqlite', path: join(dir, 'data', 'undersigned.db') });
    } finally {
      process.chdir(cwd);
    }
  });

  it('derives PUBLIC_URL and keeps a generated session secret beside the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const config = loadConfig({ DATABASE_URL: `file:${dir}/nested/site.db`, PORT: '4100' });
    expect(config.PUBLIC_URL).toBe('http://127.0.0.1:4100');
    expect(config.store).toEqual({ kind: 'sqlite', path: `${dir}/nested/site.db` });
    expect(config.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'nested', 'session-secret'), 'utf8').trim()).toBe(config.SESSION_SECRET);
    expect(loadConfig({ DATABASE_URL: `file:${dir}/nested/site.db` }).SESSION_SECRET).toBe(config.SESSION_SECRET);
    expect(config.https).toBe(false);
    expect(loadConfig({ DATABASE_URL: `file:${dir}/x.db`, PUBLIC_URL: 'https://letters.example/' }).PUBLIC_URL).toBe(
      'https://letters.example',
    );
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://example.org' }, 'PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://db.example/x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgresql://' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://user@db.example:port/x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'data/x.db' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ SIGN_LIMIT_WINDOW: 'soon' }, 'SIGN_LIMIT_WINDOW'],
    [{ LOGIN_LIMIT_WINDOW: '5 fortnights' }, 'LOGIN_LIMIT_WINDOW'],
    [{ LOGIN_LIMIT_WINDOW: '0' }, 'LOGIN_LIMIT_WINDOW'],
    [{ LINK_LIMIT_PER_IP: 'many' }, 'LINK_LIMIT_PER_IP'],
    [{ OUTBOX_POLL_MS: '-1' }, 'OUTBOX_POLL_MS'],
    [{ MAIL_TRANSPORT: 'smtp' }, 'MAIL_TRANSPORT'],
    [{ MAIL_TRANSPORT: 'pigeon' }, 'MAIL_TRANSPORT'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }, 'SMTP_URL'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), RATE_LIMIT: 'off' }, 'RATE_LIMIT'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SPIKE_GUARD: 'off' }, 'SPIKE_GUARD'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ SPIKE_SHARE: '2' }, 'SPIKE_SHARE'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), MAIL_TRANSPORT: 'file' }, 'LOG_SIGNING_KEY: is required in production'],
    [{ LOG_SIGNING_KEY: 'PRIVATE+KEY+oops' }, 'LOG_SIGNING_KEY: not a signing key'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    expect(() => parseEnv(env)).toThrow(new RegExp(`^Invalid configuration: .*${variable}`));
  });

  it.each([
    ['15 minutes', 900_000],
    ['1 hour', 3_600_000],
    ['30s', 30_000],
    ['2 days', 172_800_000],
    ['500', 500],
  ])('reads the window %s as %d ms', (text, ms) => {
    expect(parseEnv({ SIGN_LIMIT_WINDOW: text }).SIGN_LIMIT_WINDOW).toBe(ms);
  });

  it('takes the addresses and CIDRs of the proxies to trust', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '127.0.0.1' }).TRUST_PROXY).toEqual(['127.0.0.1']);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.0/8, ::1, loopback' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(/every hop/);
  });

  it('chooses how mail leaves, and needs SMTP in production unless files are asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const base = { DATABASE_URL: `file:${dir}/x.db` };
    expect(loadConfig(base).MAIL_TRANSPORT).toBe('file');
    expect(loadConfig({ ...base, SMTP_URL: 'smtp://mail.example:587' }).MAIL_TRANSPORT).toBe('smtp');
    const production = { ...base, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LOG_SIGNING_KEY };
    expect(loadConfig({ ...production, MAIL_TRANSPORT: 'file' }).MAIL_TRANSPORT).toBe('file');
    expect(() => loadConfig(production)).toThrow(/SMTP_URL: is required in production/);
  });

  it('serves the development outbox only in development, on a loopback address, with file mail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const base = { DATABASE_URL: `file:${dir}/x.db` };
    expect(loadConfig(base).devOutbox).toBe(true);
    expect(loadConfig({ ...base, HOST: '0.0.0.0' }).devOutbox).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).devOutbox).toBe(false);
    expect(loadConfig({ ...base, SMTP_URL: 'smtp://mail.example:587' }).devOutbox).toBe(false);
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), MAIL_TRANSPORT: 'file', LOG_SIGNING_KEY }).devOutbox,
    ).toBe(false);
  });

  it.each([
    [{ NODE_ENV: 'test', SIGN_LIMIT_WINDOW: 'soon' }, /^Invalid configuration: SIGN_LIMIT_WINDOW: "soon" is not a duration/],
    // Production mail is never silently written to disk: SMTP, or a file transport asked for.
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SMTP_URL: '' }, /^Invalid configuration: SMTP_URL: .*MAIL_TRANSPORT=file/],
  ])('stops the server at start with one line naming a bad variable (%o)', (env, line) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...env, DATABASE_URL: `file:${mkdtempSync(join(tmpdir(), 'undersigned-config-'))}/x.db` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  });

  describe('a database that cannot be used stops the start with one line naming DATABASE_URL', { timeout: 45_000 }, () => {
    const dir = () => mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const START_BOUND_MS = 30_000;

    /** Starts the real server and waits (bounded) for it to stop by itself. */
    function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
      const began = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { ...process.env, NODE_ENV: 'test', PORT: '0', WORKERS: '1', DATA_DIR: dir(), ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      return new Promise((resolve) => {
        // A start that never ends is the failure this test is about: it is killed and reported.
        const bound = setTimeout(() => child.kill('SIGKILL'), START_BOUND_MS);
        child.once('exit', (code) => {
          clearTimeout(bound);
          resolve({ code, stderr, ms: Date.now() - began });
        });
      });
    }

    async function listening(onConnection: (socket: import('node:net').Socket) => void = () => {}): Promise<Server> {
      const server = createServer(onConnection);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }
    const portOf = (server: Server) => (server.address() as { port: number }).port;

    async function expectOneLine(env: Record<string, string>, line: RegExp) {
      const result = await start(env);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
      return result;
    }

    it.each([
      // The folder of the file is a device: mkdir's EEXIST used to be all it said.
      ['file:/dev/null/x.db', /^DATABASE_URL: .*\/dev\/null.*not a folder/],
      // mkdir under /proc answers ENOENT with the parent there; Node's recursive mkdir never returned.
      ['file:/proc/nope/x.db', /^(Undersigned could not start: )?DATABASE_URL: .*\/proc\/nope/],
      ['postgres://user@db.example:port/x', /^Invalid configuration: DATABASE_URL: /],
    ])('%s', async (url, line) => {
      await expectOneLine({ DATABASE_URL: url, DATA_DIR: '' }, line);
    });

    it('a file that is not a SQLite database', async () => {
      const file = join(dir(), 'notes.db');
      writeFileSync(file, 'not a database, only words. '.repeat(40));
      await expectOneLine({ DATABASE_URL: `file:${file}` }, /^Undersigned could not start: DATABASE_URL: .*notes\.db.*not a database/);
      expect(readFileSync(file, 'utf8')).toMatch(/^not a database/);
    });

    it('postgresql:// is PostgreSQL too: accepted, and refused only because nothing answers there', async () => {
      const closed = await listening();
      const port = portOf(closed);
      await new Promise((resolve) => closed.close(resolve));
      await expectOneLine(
        { DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/test` },
        new RegExp(
          `^Undersigned could not start: DATABASE_URL: could not open the PostgreSQL database at postgresql://postgres@127\\.0\\.0\\.1:${port}/test \\(.*ECONNREFUSED`,
        ),
      );
    });

    it('a server that accepts the connection and never answers: bounded, not a hang', async () => {
      const sockets: import('node:net').Socket[] = [];
      const silent = await listening((socket) => sockets.push(socket));
      try {
        const result = await expectOneLine(
          { DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${portOf(silent)}/test`, WORKERS: '2' },
          /^Undersigned could not start: DATABASE_URL: could not open the PostgreSQL database at postgres:\/\/postgres:\*\*\*@/,
        );
        expect(result.ms).toBeLessThan(START_BOUND_MS);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });

  it('keeps a generated log signing key beside the database, named for the host of PUBLIC_URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const config = loadConfig({ DATABASE_URL: `file:${dir}/site.db`, PUBLIC_URL: 'https://letters.example' });
    expect(parseSigningKey(config.LOG_SIGNING_KEY).name).toBe('letters.example');
    expect(readFileSync(join(dir, 'log-signing-key'), 'utf8')).toBe(`${config.LOG_SIGNING_KEY}\n`);
    expect(loadConfig({ DATABASE_URL: `file:${dir}/site.db`, PUBLIC_URL: 'https://letters.example' }).LOG_SIGNING_KEY).toBe(
      config.LOG_SIGNING_KEY,
    );
    // Another host gets a key of its own name; the first is kept.
    const moved = loadConfig({ DATABASE_URL: `file:${dir}/site.db`, PUBLIC_URL: 'https://petitions.example' });
    expect(parseSigningKey(moved.LOG_SIGNING_KEY).name).toBe('petitions.example');
    expect(loadConfig({ DATABASE_URL: `file:${dir}/site.db`, PUBLIC_URL: 'https://letters.example' }).LOG_SIGNING_KEY).toBe(
      config.LOG_SIGNING_KEY,
    );
  });

  it('refuses a log signing key named for another host, without printing the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const key = generateSigningKey('elsewhere.example');
    const load = () => loadConfig({ DATABASE_URL: `file:${dir}/site.db`, PUBLIC_URL: 'https://letters.example', LOG_SIGNING_KEY: key });
    expect(load).toThrow(/^Invalid configuration: LOG_SIGNING_KEY: it is named "elsewhere.example", not "letters.example"/);
    expect(load).not.toThrow(key.split('+')[4] as string);
    expect(loadConfig({ DATABASE_URL: `file:${dir}/site.db`, LOG_SIGNING_KEY: LOG_SIGNING_KEY }).LOG_SIGNING_KEY).toBe(LOG_SIGNING_KEY);
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ PORT: '', SMTP_URL: '' }).PORT).toBe(3000);
  });
});
