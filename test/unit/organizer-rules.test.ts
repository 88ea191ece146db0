// Pure rules of the organizer area: passwords, roles, the letter lifecycle, slugs, durations,
// login throttling, CSV cells and sparklines.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/db/vocabulary.js';
import { hashPassword, verifyPassword } from '../../src/domain/passwords.js';
import { slugify } from '../../src/domain/slug.js';
import { neutraliseFormula } from '../../src/domain/spreadsheet-cell.js';
import { LoginThrottle, MemoryFailureStore } from '../../src/limits/login-throttle.js';
import { mergeById, toCells } from '../../src/organizers/csv-export.js';
import { letterFormSchema, parseUtcDateTime } from '../../src/organizers/letter-form.js';
import { canMove } from '../../src/organizers/letter-status.js';
import { noticeFrom, noticeQuery, withNotice } from '../../src/organizers/notices.js';
import { can, type Permission } from '../../src/organizers/permissions.js';
import { safeReturn } from '../../src/organizers/route-helpers.js';
import { sparklinePoints } from '../../src/organizers/sparkline.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('passwords', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse battery staple', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password here', FAST)).not.toBe(await hashPassword('same password here', FAST));
  });

  it('uses strong parameters by default, stored in the hash', async () => {
    expect(await hashPassword('a long enough password')).toMatch(/^scrypt\$32768\$8\$3\$/);
  });

  it.each([
    ['not a hash'],
    ['scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'], // N not a power of two
    ['scrypt$4294967296$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'], // absurd memory
    ['scrypt$1024$8$1$$'],
  ])('treats a malformed stored hash as no match: %s', async (stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });
});

describe('roles', () => {
  const table: Array<[Permission, boolean, boolean, boolean]> = [
    // permission, owner, editor, moderator
    ['view', true, true, true],
    ['edit_letter', true, true, false],
    ['edit_notables', true, true, false],
    ['moderate', true, false, true],
    ['export', true, false, true],
    ['manage_members', true, false, false],
    ['view_audit', true, false, false],
  ];
  it.each(table)('%s: owner %s, editor %s, moderator %s', (permission, owner, editor, moderator) => {
    expect(ROLES.map((r) => can(r, permission))).toEqual([owner, editor, moderator]);
  });
});

describe('letter lifecycle', () => {
  it.each([
    ['draft', 'published', true],
    ['published', 'closed', true],
    ['closed', 'published', true],
    ['published', 'draft', false],
    ['closed', 'draft', false],
    ['draft', 'closed', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });
});

describe('letter form', () => {
  it.each([
    ['Fair pay, now!', 'fair-pay-now'],
    ['Déjà vu: Ærø & Łódź', 'deja-vu-r-odz'],
    ['  --Hello--World--  ', 'hello-world'],
    ['日本語', ''],
  ])('slugify(%s) = %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('reads closing times as UTC and refuses impossible dates', () => {
    expect(parseUtcDateTime('2026-12-31T23:59')?.toISOString()).toBe('2026-12-31T23:59:00.000Z');
    expect(parseUtcDateTime('2026-02-31T10:00')).toBeNull();
    expect(parseUtcDateTime('31/12/2026')).toBeNull();
  });

  it('reports every bad field with a message, never throws', () => {
    const result = letterFormSchema.safeParse({
      title: '',
      slug: 'Not A Slug',
      body: '',
      goal: 'lots',
      closes_at: 'soon',
      duplicate_names: 'maybe',
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error?.issues.map((i) => i.path[0]));
    for (const f of ['title', 'body', 'goal', 'closes_at', 'duplicate_names']) expect(fields).toContain(f);
    expect(letterFormSchema.safeParse({ title: ['a', 'b'], body: { x: 1 } }).success).toBe(false);
  });

  it('makes the address from the title when none is given', () => {
    const parsed = letterFormSchema.parse({ title: 'Fair pay for artists', body: 'Text', goal: '1,000' });
    expect(parsed.slug).toBe('');
    expect(parsed.goal).toBe(1000);
  });
});

describe('login throttle', () => {
  const limits = { perAccountAndIp: 3, perIp: 5, perAccount: 10, windowMs: 60_000 };

  it('blocks an address after its failures on an account, within the window, then lets go', async () => {
    const throttle = new LoginThrottle(new MemoryFailureStore(), limits);
    for (let i = 0; i < 3; i++) {
      expect(await throttle.retryAfter('owner@x', '1.1.1.1', false, 1000)).toBe(0);
      await throttle.failed('owner@x', '1.1.1.1', 1000);
    }
    expect(await throttle.retryAfter('owner@x', '1.1.1.1', false, 2000)).toBe(59_000);
    // The owner, elsewhere, is not locked out by someone else's guesses.
    expect(await throttle.retryAfter('owner@x', '2.2.2.2', false, 2000)).toBe(0);
    expect(await throttle.retryAfter('owner@x', '1.1.1.1', false, 61_000)).toBe(0);
  });

  it('limits one address across accounts', async () => {
    const throttle = new LoginThrottle(new MemoryFailureStore(), limits);
    for (let i = 0; i < 5; i++) await throttle.failed(`user${i}@x`, '1.1.1.1', 0);
    expect(await throttle.retryAfter('someone@x', '1.1.1.1', true, 1)).toBeGreaterThan(0);
  });

  it('slows distributed guessing on an account for new devices only', async () => {
    const throttle = new LoginThrottle(new MemoryFailureStore(), limits);
    for (let i = 0; i < 10; i++) await throttle.failed('owner@x', `10.0.0.${i}`, 0);
    expect(await throttle.retryAfter('owner@x', '192.0.2.1', false, 1)).toBeGreaterThan(0);
    expect(await throttle.retryAfter('owner@x', '192.0.2.1', true, 1)).toBe(0);
    await throttle.reset('owner@x');
    expect(await throttle.retryAfter('owner@x', '192.0.2.1', false, 1)).toBe(0);
  });

  it('stays bounded under a flood of keys', async () => {
    const store = new MemoryFailureStore(100);
    for (let i = 0; i < 1000; i++) await store.add(`ip-${i}`, 60_000, 0);
    expect(await store.get('ip-999', 1)).not.toBeNull();
    expect(await store.get('ip-0', 1)).toBeNull();
  });
});

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    ['+44 20 7946 0000', `'+44 20 7946 0000`],
    ['-1', `'-1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['Ada Lovelace', 'Ada Lovelace'],
    ['a=b', 'a=b'],
  ])('neutraliseFormula(%j)', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected);
  });

  it('merges streams that are each in id order into one id order', async () => {
    async function* stream(ids: number[]) {
      for (const id of ids) yield { id };
    }
    const merged: number[] = [];
    for await (const row of mergeById([stream([2, 5, 9]), stream([]), stream([1, 3, 10, 11]), stream([4])], (r) => r.id))
      merged.push(row.id);
    expect(merged).toEqual([1, 2, 3, 4, 5, 9, 10, 11]);
  });

  it('formats times, booleans and empty cells', () => {
    const cells = toCells({ id: 7, name: '=1+1', is_public: 1, hidden: 0, created_at: Date.UTC(2026, 0, 2), verified_at: null, ip: null });
    expect(cells[0]).toBe('7');
    expect(cells[2]).toBe("'=1+1");
    expect(cells[7]).toBe('true');
    expect(cells[8]).toBe('false');
    expect(cells[17]).toBe('2026-01-02T00:00:00.000Z');
    expect(cells[18]).toBe('');
  });
});

describe('small helpers', () => {
  it('only returns to organizer pages', () => {
    expect(safeReturn('/organize/letters/3', '/organize')).toBe('/organize/letters/3');
    expect(safeReturn('https://evil.example/organize', '/organize')).toBe('/organize');
    expect(safeReturn('//evil.example', '/organize')).toBe('/organize');
    expect(safeReturn('/organizers-evil', '/organize')).toBe('/organize');
    expect(safeReturn('/organize/\\evil', '/organize')).toBe('/organize');
    expect(safeReturn(['/organize'], '/organize/x')).toBe('/organize/x');
  });

  it('shows only notices we wrote', () => {
    const notice = (query: Record<string, unknown>) => noticeFrom(noticeQuery.parse(query));
    expect(notice({ notice: 'saved' })?.text).toBe('Changes saved.');
    expect(notice({ notice: '<script>' })).toBeNull();
    expect(notice({ notice: ['saved', 'saved'] })).toBeNull();
    expect(notice({ notice: 'moderated', n: '3', action: 'approve' })?.text).toBe('Approved 3 signatures.');
    expect(notice({ notice: 'moderated', n: '-1', action: 'approve' })).toBeNull();
    expect(withNotice('/organize/letters/1/moderation?reason=spike&select=all&notice=x', 'saved')).toBe(
      '/organize/letters/1/moderation?reason=spike&notice=saved',
    );
  });

  it('draws a sparkline inside its box', () => {
    const points = sparklinePoints([0, 5, 10])
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(points).toEqual([
      [0, 26],
      [50, 14],
      [100, 2],
    ]);
    expect(sparklinePoints([0, 0])).toBe('0,26 100,26');
  });
});
