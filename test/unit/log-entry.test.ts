// Log entries: their exact bytes, commitments (the expected values computed with Python's json
// and hashlib, an implementation of its own), the replay rule and which lifecycle transition
// writes which kind.
import { describe, expect, it } from 'vitest';
import {
  commitment,
  committedText,
  type EntryKind,
  entryKindFor,
  entryText,
  isPortableText,
  logIdentity,
  minuteOf,
  parseEntry,
  replayDelta,
} from '../../src/domain/log-entry.js';
import { LIFECYCLE_EVENTS, SIGNATURE_STATES, transition } from '../../src/domain/signature-lifecycle.js';

const SALT = Buffer.from([...Array(16).keys()]);

describe('entries', () => {
  it('write their keys in one order, `at` to the minute', () => {
    const at = minuteOf(new Date('2026-06-01T12:00:59.999Z'));
    expect(at).toBe('2026-06-01T12:00Z');
    expect(entryText({ kind: 'confirm', sig: 'AAAAAAAAAAAAAAAAAAAAAA', at, version: 2, commit: 'Y29tbWl0' })).toBe(
      '{"kind":"confirm","sig":"AAAAAAAAAAAAAAAAAAAAAA","at":"2026-06-01T12:00Z","version":2,"commit":"Y29tbWl0"}',
    );
    expect(entryText({ kind: 'withdraw', sig: 'AAAAAAAAAAAAAAAAAAAAAA', at, version: 2, commit: 'x' })).toBe(
      '{"kind":"withdraw","sig":"AAAAAAAAAAAAAAAAAAAAAA","at":"2026-06-01T12:00Z"}',
    );
  });

  it('read back only what they write', () => {
    const text = '{"kind":"restore","sig":"AAAAAAAAAAAAAAAAAAAAAA","at":"2026-06-01T12:00Z","version":1,"commit":"Y29tbWl0"}';
    expect(parseEntry(text)).toEqual({
      kind: 'restore',
      sig: 'AAAAAAAAAAAAAAAAAAAAAA',
      at: '2026-06-01T12:00Z',
      version: 1,
      commit: 'Y29tbWl0',
    });
    for (const bad of [
      text.replace('"kind":"restore",', ''),
      text.replace('restore', 'undo'),
      text.replace(',"version":1', ''),
      text.replace('{"kind":"restore",', '{ "kind":"restore",'),
      '{"sig":"AAAAAAAAAAAAAAAAAAAAAA","kind":"remove","at":"2026-06-01T12:00Z"}',
      '{"kind":"remove","sig":"AAAAAAAAAAAAAAAAAAAAAA","at":"2026-06-01T12:00:00Z"}',
      'not json',
      'null',
    ]) {
      expect(parseEntry(bad), bad).toBeNull();
    }
  });
});

describe('commitments', () => {
  it.each([
    [
      { name: 'Zoë Ångström', title: 'Composer', organisation: null, country: 'SE' },
      '["Zoë Ångström","Composer","","SE"]',
      '+ujf0e3vri7Hb7D5qOnGWdkNbGjBKiwXlz1Wl3rQ0A8=',
    ],
    [
      { name: 'Ada "the" Lovelace', title: null, organisation: 'Analytical \\ Engine Co', country: 'GB' },
      '["Ada \\"the\\" Lovelace","","Analytical \\\\ Engine Co","GB"]',
      'C+0/VMJYJOX4kQ9g2ffeZ2sLI5MjLv2nlBE52+g47Jk=',
    ],
    [
      { name: '李小龍 🎵', title: null, organisation: null, country: null },
      '["李小龍 🎵","","",""]',
      'SyFpr/piSXG2OuWppA48OuiAIJryenpWbuLjbpAXZTY=',
    ],
  ])('hash salt ‖ JSON of %j', (fields, text, expected) => {
    expect(committedText(fields)).toBe(text);
    expect(commitment(SALT, fields)).toBe(expected);
  });

  it('give every signature its own id and salt', () => {
    const fields = { name: 'Ada', title: null, organisation: null, country: null };
    const [a, b] = [logIdentity(fields), logIdentity(fields)];
    expect(a.logSig).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a.logSalt, 'base64')).toHaveLength(16);
    expect(a.logSig).not.toBe(b.logSig);
    expect(a.logCommitment).not.toBe(b.logCommitment);
    expect(commitment(Buffer.from(a.logSalt, 'base64'), fields)).toBe(a.logCommitment);
    // Drawn from a pool refilled as it runs out: never the same bytes twice.
    const many = Array.from({ length: 5000 }, () => logIdentity(fields));
    expect(new Set(many.map((i) => i.logSig)).size).toBe(5000);
    expect(new Set(many.map((i) => i.logSalt)).size).toBe(5000);
  });

  it.each([
    ['a tab', 'a\tb', false],
    ['a newline', 'a\nb', false],
    ['NUL', 'a\u0000', false],
    ['DEL', 'a\u007f', false],
    ['a C1 control', 'a\u0085', false],
    ['a line separator', 'a\u2028b', false],
    ['a paragraph separator', 'a\u2029b', false],
    ['a lone high surrogate', 'a\ud83c', false],
    ['a lone low surrogate', '\udfb5a', false],
    ['an emoji (a proper pair)', '🎵', true],
    ['quotes and backslashes', '"\\', true],
    ['accents and scripts', 'Zoë 李 عربى', true],
  ])('tell portable text: %s', (_, text, portable) => {
    expect(isPortableText(text)).toBe(portable);
  });
});

describe('the replay rule', () => {
  it.each<[EntryKind | undefined, EntryKind, number]>([
    [undefined, 'confirm', 1],
    [undefined, 'restore', 1],
    [undefined, 'withdraw', 0],
    ['confirm', 'confirm', 0],
    ['confirm', 'withdraw', -1],
    ['confirm', 'remove', -1],
    ['remove', 'restore', 1],
    ['withdraw', 'confirm', 1],
    ['withdraw', 'remove', 0],
  ])('after %s, %s moves the count by %i', (previous, next, delta) => {
    expect(replayDelta(previous, next)).toBe(delta);
  });
});

describe('which transition writes which entry', () => {
  it('writes an entry for every change of the count, of the kind that says who changed it, and for nothing else', () => {
    const seen = new Map<string, EntryKind | null>();
    for (const from of SIGNATURE_STATES) {
      for (const event of LIFECYCLE_EVENTS) {
        const t = transition(from, event);
        const kind = entryKindFor(from, t);
        expect(kind === null, `${from} × ${event}`).toBe(t.countDelta === 0);
        if (kind) expect(replayDelta(t.countDelta === 1 ? 'withdraw' : 'confirm', kind)).toBe(t.countDelta);
        seen.set(`${from} × ${event}`, kind);
      }
    }
    expect(seen.get('pending × confirm')).toBe('confirm');
    expect(seen.get('held × approve')).toBe('confirm');
    expect(seen.get('rejected × approve')).toBe('restore');
    expect(seen.get('verified × withdraw')).toBe('withdraw');
    expect(seen.get('verified × reject')).toBe('remove');
    expect(seen.get('verified × mark_fraudulent')).toBe('remove');
    expect(seen.get('held × reject')).toBeNull();
    expect(seen.get('pending × confirm_late')).toBeNull();
  });
});
