// Background jobs that must run once: each process's timer gives a job its turn every period, and
// across all the processes on one database the job's body runs once per period (two app
// instances on one database here, with one injected clock).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobOutcome } from '../../src/jobs.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const DRIFT_LOGGED = 'counters differ from a recount';

let a: TestApp;
let b: TestApp;
const lines: string[] = [];
const logger = { level: 'error', stream: { write: (line: string) => lines.push(line) } };

beforeEach(async () => {
  lines.length = 0;
  a = await makeTestApp({}, { startBackground: false, logger });
  b = await makeTestApp({}, { dir: a.dir, databaseUrl: a.databaseUrl, startBackground: false, logger });
  b.clock.set(a.clock.now());
  const letter = await seedLetter(a.app);
  // A counter that disagrees with the signatures: each run of the hourly check says so once.
  await a.sql("INSERT INTO letter_country_counts (letter_id, country, slot, count) VALUES (?, 'ZZ', 0, 3)", letter.id);
});

afterEach(async () => {
  await b.close();
  await a.close();
});

const turn = (t: TestApp) => t.app.services.jobs.run('counter-check');
const runs = () => lines.filter((l) => l.includes(DRIFT_LOGGED)).length;
const advance = (ms: number) => {
  a.clock.advance(ms);
  b.clock.advance(ms);
};

describe('the hourly counter check on two app instances', () => {
  it('runs once per hour whichever instance gives it its turn', async () => {
    expect(await turn(a)).toBe('ran');
    expect(await turn(b)).toBe('skipped');
    expect(await turn(a)).toBe('skipped');
    expect(runs()).toBe(1);

    // Later in the same hour: still done.
    advance(HOUR / 2);
    expect([await turn(b), await turn(a)]).toEqual(['skipped', 'skipped']);

    // The next hour: the first to ask runs it, here the other instance.
    advance(HOUR / 2);
    expect([await turn(b), await turn(a)]).toEqual(['ran', 'skipped']);
    expect(runs()).toBe(2);
  });

  it('runs once when both instances ask at the same moment', async () => {
    for (let hour = 0; hour < 3; hour++) {
      const outcomes: JobOutcome[] = await Promise.all([turn(a), turn(b), turn(a), turn(b)]);
      expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(3);
      advance(HOUR);
    }
    expect(runs()).toBe(3);
  });
});

describe('work that moves queued things along', () => {
  it('runs on every turn of every instance, whatever the clock says', async () => {
    // The clock stands still: a per-period job would run once; the updates' fan-out runs each turn.
    const outcomes: JobOutcome[] = [];
    for (const t of [a, b, a, b]) outcomes.push(await t.app.services.jobs.run('update-fan-out'));
    expect(outcomes).toEqual(['ran', 'ran', 'ran', 'ran']);
  });
});
