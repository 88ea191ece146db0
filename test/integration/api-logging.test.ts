// Newsrooms poll the press API every few seconds: polls must not flood the log, while the rest
// of the site keeps its request log.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';

let t: TestApp;
let lines: Array<{ level: number; msg: string; req?: { url: string }; reqId?: string }>;

beforeEach(async () => {
  lines = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  t = await makeTestApp({}, { startBackground: false, logger: { level: 'info', stream } });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
});

describe('request logging', () => {
  it('keeps polls of the press API out of the log, and logs pages', async () => {
    for (const url of ['/api/v1/letters/fair-pay/count', '/api/v1/letters/fair-pay', '/api/v1/letters/nope/count']) {
      expect((await t.app.inject(url)).statusCode).toBeLessThan(500);
    }
    expect(lines.filter((l) => l.req?.url.startsWith('/api/'))).toEqual([]);
    expect(lines.filter((l) => l.level === 30 && l.reqId)).toEqual([]);

    expect((await t.app.inject('/letters/fair-pay')).statusCode).toBe(200);
    const page = lines.filter((l) => l.req?.url === '/letters/fair-pay');
    expect(page).toHaveLength(1);
    expect(page[0]?.reqId).toBeTruthy();
  });
});
