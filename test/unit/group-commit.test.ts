// The SQLite commit pipeline on a real file: a unit of work is acknowledged only once its commit
// is durable, the next batch does not wait for the disk, and a failed fsync fails its batch.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/db/group-commit.js';
import { WalSync } from '../../src/db/wal-sync.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function database() {
  const path = join(mkdtempSync(join(tmpdir(), 'undersigned-commit-')), 'x.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  open.push(db);
  return { db, path, insert: db.prepare('INSERT INTO t (v) VALUES (?)'), count: () => db.prepare('SELECT count(*) AS n FROM t').get() };
}

/** A durability step the test releases by hand. */
function gate() {
  const calls: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  return {
    calls,
    durable: () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject })),
  };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe('group commit', () => {
  it('acknowledges a unit of work only after its commit is durable', async () => {
    const { db, insert, count } = database();
    const g = gate();
    const commits = new GroupCommit(db, g.durable);
    const unit = commits.run(async () => insert.run('a'));
    expect(await settled(unit)).toBe(false);
    // Committed (visible) but not yet acknowledged.
    expect(count()).toEqual({ n: 1 });
    expect(g.calls).toHaveLength(1);
    g.calls[0]?.resolve();
    await expect(unit).resolves.toBeTruthy();
  });

  it('runs the next batch while the previous one waits for the disk', async () => {
    const { db, insert, count } = database();
    const g = gate();
    const commits = new GroupCommit(db, g.durable);
    const first = commits.run(async () => insert.run('a'));
    await settled(first);
    const second = commits.run(async () => insert.run('b'));
    await settled(second);
    expect(count()).toEqual({ n: 2 });
    expect(g.calls).toHaveLength(2);
    g.calls[1]?.resolve();
    g.calls[0]?.resolve();
    await Promise.all([first, second]);
  });

  it('fails every unit of a batch whose fsync failed, and drains only when all are settled', async () => {
    const { db, insert } = database();
    const g = gate();
    const commits = new GroupCommit(db, g.durable);
    const units = [commits.run(async () => insert.run('a')), commits.run(async () => insert.run('b'))];
    await settled(units[0] as Promise<unknown>);
    const drained = commits.drain();
    expect(await settled(drained)).toBe(false);
    g.calls[0]?.reject(new Error('EIO'));
    for (const unit of units) await expect(unit).rejects.toThrow('EIO');
    await drained;
  });

  it('fsyncs the WAL file for real before acknowledging', async () => {
    const { db, path, insert, count } = database();
    const wal = new WalSync(`${path}-wal`);
    const commits = new GroupCommit(db, () => wal.sync());
    await Promise.all(Array.from({ length: 20 }, (_, i) => commits.run(async () => insert.run(String(i)))));
    expect(count()).toEqual({ n: 20 });
    wal.close();
  });
});
