import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMilestoneLines, milestoneProgress, milestonesProblem, parseMilestoneLines } from '../../src/domain/milestones.js';
import { parseLetterFile } from '../../src/letters/letter-file.js';

describe('parseMilestoneLines', () => {
  it('reads one milestone per line, with or without text, ignoring blank lines and thousands separators', () => {
    expect(parseMilestoneLines('100\n\n1,000: We deliver the letter to the board\r\n10 000 :  Press conference  ')).toEqual({
      ok: true,
      milestones: [
        { count: 100, text: '' },
        { count: 1000, text: 'We deliver the letter to the board' },
        { count: 10000, text: 'Press conference' },
      ],
    });
    expect(parseMilestoneLines('  \n')).toEqual({ ok: true, milestones: [] });
  });

  it.each([
    ['We deliver: 1000', 'Line 1 must start with a number of signatures'],
    ['100\n-5: less', 'Line 2 must start with a number'],
    ['0: nothing', 'Line 1: the number must be between 1 and 1,000,000,000'],
    ['2000000000: too many', 'Line 1: the number must be between 1'],
    ['1000: a\n100: b', 'Line 2: 100 comes after 1,000: list milestones from smallest to largest.'],
    ['100: a\n100: b', 'Line 2: 100 is listed twice.'],
    [`100: ${'x'.repeat(201)}`, 'Line 1: the text is longer than 200 characters.'],
    [Array.from({ length: 21 }, (_, i) => String(i + 1)).join('\n'), 'Line 21: at most 20 milestones.'],
    ['100: bad \u0007 bell', 'Line 1 contains characters we cannot accept.'],
  ])('%j is refused: %s', (source, message) => {
    const result = parseMilestoneLines(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('accepts exactly 20 and 200 characters', () => {
    expect(parseMilestoneLines(Array.from({ length: 20 }, (_, i) => String(i + 1)).join('\n')).ok).toBe(true);
    expect(parseMilestoneLines(`5: ${'x'.repeat(200)}`).ok).toBe(true);
  });

  it('round-trips through the textarea', () => {
    const milestones = [
      { count: 100, text: '' },
      { count: 1000, text: 'We deliver: by hand' },
    ];
    expect(parseMilestoneLines(formatMilestoneLines(milestones))).toEqual({ ok: true, milestones });
  });
});

describe('milestonesProblem', () => {
  it('checks a stored list with the same rules', () => {
    expect(milestonesProblem([{ count: 1, text: '' }])).toBeNull();
    expect(
      milestonesProblem([
        { count: 10, text: '' },
        { count: 5, text: '' },
      ]),
    ).toContain('milestone 2');
  });
});

describe('milestoneProgress', () => {
  const list = [
    { count: 100, text: '' },
    { count: 1000, text: 'We deliver the letter' },
    { count: 10000, text: '' },
  ];
  it.each([
    [8, 0, 100],
    [100, 1, 1000],
    [999, 1, 1000],
    [1000, 2, 10000],
    [20000, 3, null],
  ])('at %i: %i reached, next %s', (count, reached, next) => {
    const p = milestoneProgress(list, count);
    expect(p.reached.length).toBe(reached);
    expect(p.next?.count ?? null).toBe(next);
  });
});

describe('the demo letters', () => {
  it.each(['training-statement', 'unpaid-testing'])('%s has milestones and keeps its notables', (name) => {
    const file = parseLetterFile(readFileSync(new URL(`../../src/letters/demo/${name}.md`, import.meta.url), 'utf8'));
    expect(file.milestones?.length).toBeGreaterThanOrEqual(2);
    expect(file.notable?.length).toBeGreaterThanOrEqual(3);
  });
});
