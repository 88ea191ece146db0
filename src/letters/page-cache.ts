// The public letter page, rendered once per change instead of once per reader. A spike of readers
// then costs a lookup each; the rendering (Markdown, notables, recent signatures, chart, country
// list, the form with its 250 countries) happens when something on the page changed, or at least
// once a second for what depends on the time (the deadline, the chart's end), on the same terms
// as the press API's cached answers.
//
// What makes a page current: the letter's row (every change the page shows bumps its
// updated_at or its count: a confirmation, a withdrawal, moderation, an edit, a notable),
// checked whenever this process has written anything (SQLite's total_changes()) and at least
// once a second for writes from other processes (the CLI).
//
// The form stamp is the one part that differs between readers. Everyone served within the same
// tenth of a second gets the same bytes, stamped with the end of that tenth (sharedStampTime):
// no HMAC and no copy of the page per reader, and the minimum fill time only ever gets longer.

import { sharedStampTime } from '../domain/form-stamp.js';

export interface PageCacheOptions {
  /** Moves whenever this process writes to the database. */
  changeMark: () => number;
  /** The app's clock: time-dependent parts of a page are at most `maxAgeMs` old on it. */
  now: () => Date;
  maxAgeMs?: number;
  maxEntries?: number;
  /** Readers within one window share a stamp (and the page's bytes). */
  stampWindowMs?: number;
}

/** What a cached page depends on, read from the letter's row. */
export interface PageVersion {
  id: number;
  status: string;
  version: number;
  signatureCount: number;
  updatedAt: Date;
}

interface Entry {
  version: string;
  /** The page split at the form stamp, encoded once: joined with a fresh stamp per window. */
  parts: Buffer[];
  /** The page as served in the latest stamp window. */
  stamped: { window: number; page: Buffer } | null;
  /** The app's clock when rendered. */
  renderedAt: number;
  /** changeMark and monotonic time when the letter's row was last compared. */
  mark: number;
  checkedAt: number;
}

// Letters and digits only, so escaping leaves it intact wherever the template prints it.
const STAMP_PLACEHOLDER = `FORMSTAMP${Math.random().toString(36).slice(2)}X`;

export class LetterPageCache<L extends PageVersion> {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly stampWindowMs: number;

  constructor(private readonly options: PageCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 500;
    this.stampWindowMs = options.stampWindowMs ?? 100;
  }

  /**
   * The page for `key`: `load` reads the letter (and throws for a missing one, which is never
   * cached), `render` renders it with the given stand-in for the form stamp, `stamp` makes the
   * real one for a given time (see sharedStampTime). Answers the page's UTF-8 bytes.
   */
  async html(
    key: string,
    load: () => Promise<L>,
    render: (letter: L, stampPlaceholder: string) => Promise<string>,
    stamp: (time: number) => string,
  ): Promise<Buffer> {
    // Read before the letter: a write that lands while rendering moves it again, so the next
    // request checks once more instead of trusting a page older than the mark says.
    const mark = this.options.changeMark();
    const checkedAt = performance.now();
    const now = this.options.now();
    let entry = this.entries.get(key);
    const timely = entry !== undefined && now.getTime() >= entry.renderedAt && now.getTime() - entry.renderedAt < this.maxAgeMs;
    const unchanged = entry !== undefined && entry.mark === mark && checkedAt - entry.checkedAt < this.maxAgeMs;
    if (!entry || !timely || !unchanged) {
      const letter = await load();
      const version = versionOf(letter);
      if (entry && timely && entry.version === version) {
        entry.mark = mark;
        entry.checkedAt = checkedAt;
      } else {
        const html = await render(letter, STAMP_PLACEHOLDER);
        entry = {
          version,
          parts: html.split(STAMP_PLACEHOLDER).map((part) => Buffer.from(part)),
          stamped: null,
          renderedAt: now.getTime(),
          mark,
          checkedAt,
        };
        this.entries.delete(key);
        this.entries.set(key, entry);
        if (this.entries.size > this.maxEntries) {
          const oldest = this.entries.keys().next().value;
          if (oldest !== undefined) this.entries.delete(oldest);
        }
      }
    }
    if (entry.parts.length === 1) return entry.parts[0] as Buffer;
    const window = Math.floor(now.getTime() / this.stampWindowMs);
    if (entry.stamped?.window !== window) {
      const fresh = Buffer.from(stamp(sharedStampTime(now.getTime(), this.stampWindowMs)));
      const pieces: Buffer[] = [];
      entry.parts.forEach((part, i) => {
        if (i > 0) pieces.push(fresh);
        pieces.push(part);
      });
      entry.stamped = { window, page: Buffer.concat(pieces) };
    }
    return entry.stamped.page;
  }
}

function versionOf(letter: PageVersion): string {
  return `${letter.id}:${letter.status}:${letter.version}:${letter.signatureCount}:${letter.updatedAt.getTime()}`;
}
