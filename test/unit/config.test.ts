import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv } from '../../src/config.js';

describe('config', () => {
  it('works with nothing set', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.DATABASE_URL).toBe('file:data/undersigned.db');
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.RATE_LIMIT).toBe('on');
  });

  it('derives PUBLIC_URL and keeps a generated session secret beside the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-config-'));
    const config = loadConfig({ DATABASE_URL: `file:${dir}/nested/site.db`, PORT: '4100' });
    expect(config.PUBLIC_URL).toBe('http://127.0.0.1:4100');
    expect(config.databasePath).toBe(`${dir}/nested/site.db`);
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
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), RATE_LIMIT: 'off' }, 'RATE_LIMIT'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SPIKE_GUARD: 'off' }, 'SPIKE_GUARD'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ SPIKE_SHARE: '2' }, 'SPIKE_SHARE'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    expect(() => parseEnv(env)).toThrow(new RegExp(`^Invalid configuration: .*${variable}`));
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ PORT: '', SMTP_URL: '' }).PORT).toBe(3000);
  });
});
