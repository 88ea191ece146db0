// Milestones: counts an organizer announces on the way to (or instead of) a goal, each with what
// happens there ("1000: we deliver the letter to the board"). Organizers type them one per line;
// the page shows progress toward the next one, which means something at 8 signatures when a
// goal of 20,000 would show an empty bar.
import { cleanLine, hasControlCharacters } from './text.js';

export const MILESTONES_MAX = 20;
export const MILESTONE_TEXT_MAX = 200;
export const MILESTONE_COUNT_MAX = 1_000_000_000;

export interface Milestone {
  count: number;
  text: string;
}

export type MilestoneParse = { ok: true; milestones: Milestone[] } | { ok: false; message: string };

const numberFormat = new Intl.NumberFormat('en-GB');
const LINE = /^([\d][\d,._ ]*)\s*(?::\s*(.*))?$/;

/** "1000: We deliver the letter" per line (blank lines ignored) → milestones, or the first problem found. */
export function parseMilestoneLines(source: string): MilestoneParse {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const milestones: Milestone[] = [];
  for (const [i, raw] of lines.entries()) {
    const where = `Line ${i + 1}`;
    if (hasControlCharacters(raw.replace(/\t/g, ' '))) return { ok: false, message: `${where} contains characters we cannot accept.` };
    const line = cleanLine(raw);
    if (line === '') continue;
    const match = LINE.exec(line);
    const digits = match?.[1]?.replace(/[,._ ]/g, '') ?? '';
    const count = Number(digits);
    if (!match || !/^\d+$/.test(digits)) {
      return { ok: false, message: `${where} must start with a number of signatures, like “1000: We deliver the letter”.` };
    }
    if (!Number.isSafeInteger(count) || count < 1 || count > MILESTONE_COUNT_MAX) {
      return { ok: false, message: `${where}: the number must be between 1 and ${numberFormat.format(MILESTONE_COUNT_MAX)}.` };
    }
    milestones.push({ count, text: match[2] ?? '' });
    const problem = problemWith(milestones, milestones.length - 1);
    if (problem) return { ok: false, message: `${where}: ${problem}` };
  }
  return { ok: true, milestones };
}

/** The rules for a list as stored: null when it keeps them all. */
export function milestonesProblem(milestones: Milestone[]): string | null {
  for (let i = 0; i < milestones.length; i++) {
    const problem = problemWith(milestones, i);
    if (problem) return `milestone ${i + 1}: ${problem}`;
  }
  return null;
}

function problemWith(milestones: Milestone[], i: number): string | null {
  const m = milestones[i] as Milestone;
  const before = milestones[i - 1];
  if (i >= MILESTONES_MAX) return `at most ${MILESTONES_MAX} milestones.`;
  if (m.text.length > MILESTONE_TEXT_MAX) return `the text is longer than ${MILESTONE_TEXT_MAX} characters.`;
  if (before && before.count === m.count) return `${numberFormat.format(m.count)} is listed twice.`;
  if (before && before.count > m.count) {
    return `${numberFormat.format(m.count)} comes after ${numberFormat.format(before.count)}: list milestones from smallest to largest.`;
  }
  return null;
}

/** Milestones back into the textarea's lines. */
export function formatMilestoneLines(milestones: Milestone[]): string {
  return milestones.map((m) => (m.text ? `${m.count}: ${m.text}` : String(m.count))).join('\n');
}

export interface MilestoneProgress {
  reached: Milestone[];
  next: Milestone | null;
}

/** Where a count stands among the milestones. */
export function milestoneProgress(milestones: Milestone[], count: number): MilestoneProgress {
  const reached = milestones.filter((m) => m.count <= count);
  const next = milestones.find((m) => m.count > count) ?? null;
  return { reached, next };
}
