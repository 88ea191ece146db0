// Reads for the press API, badges, feed and charts: prepared once, indexed, and apart from the
// public signature list they read only the letters row and its counter tables, never
// `signatures`, so a spike of readers costs point lookups.
import { type AnyColumn, aliasedTable, and, asc, desc, eq, exists, inArray, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import type { LetterStatus } from '../db/vocabulary.js';
import { letterCountColumns, listedSignature, type PublicSignature, publicSignatureColumns } from '../letters/letter-repo.js';

export interface LetterHead {
  id: number;
  slug: string;
  title: string;
  status: LetterStatus;
  signatureCount: number;
  goal: number | null;
  updatedAt: Date;
  countChangedAt: Date | null;
}

/** The head, with the latest checkpoint of the letter's public log (0 and 0 while it is empty). */
export interface HeadWithLog extends LetterHead {
  logSize: number;
  logCount: number;
}

export interface LetterListRow extends LetterHead {
  publishedAt: Date | null;
  closesAt: Date | null;
}

export interface FeedRow extends LetterListRow {
  summary: string;
  collectiveName: string;
  editedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
}

/** A listed signature as the press API shows it: with what anyone needs to find it in the log. */
export interface PressSignature extends PublicSignature {
  logSig: string | null;
  logSalt: string | null;
}

export interface CountRow {
  key: string;
  count: number;
}

const PUBLIC_STATUSES: LetterStatus[] = ['published', 'closed'];

/** A search word matching at most this many listed words leads the search (see searchSignatures). */
const RARE_WORD_MATCHES = 5000;

export class PressRepo {
  private readonly q;

  /**
   * `rareWordMatches`: how many matches make a search word rare enough to lead (see
   * searchSignatures); tests lower it to take the other way on a few rows.
   */
  constructor(
    private readonly store: Store,
    private readonly options: { rareWordMatches: number } = { rareWordMatches: RARE_WORD_MATCHES },
  ) {
    const t: Tables = store.tables;
    const p = sql.placeholder;
    const l = t.letters;
    const s = t.signatures;
    const headColumns = {
      id: l.id,
      slug: l.slug,
      title: l.title,
      status: l.status,
      goal: l.goal,
      updatedAt: l.updatedAt,
      ...letterCountColumns(t),
    };
    const listColumns = { ...headColumns, publishedAt: l.publishedAt, closesAt: l.closesAt };
    const isPublic = inArray(l.status, PUBLIC_STATUSES);
    /** Letters closed straight from draft have no publication date: they sort as the oldest. */
    const publishedKey = sql`coalesce(${l.publishedAt}, ${l.publishedAt.mapToDriverValue(new Date(0))})`;
    const lettersPage = (after: boolean) => (db: Db) =>
      db
        .select(listColumns)
        .from(l)
        .where(and(isPublic, after ? sql`(${publishedKey}, ${l.id}) < (${p('key')}, ${p('id')})` : undefined))
        .orderBy(desc(publishedKey), desc(l.id))
        .limit(p('limit'));
    const signaturesPage = (after: boolean) => (db: Db) =>
      db
        .select({ ...publicSignatureColumns(t), verifiedAt: s.verifiedAt, logSig: s.logSig, logSalt: s.logSalt })
        .from(s)
        .where(
          and(
            eq(s.letterId, p('letterId')),
            listedSignature(t),
            after ? sql`(${s.verifiedAt}, ${s.id}) < (${p('verifiedAt')}, ${p('id')})` : undefined,
          ),
        )
        .orderBy(desc(s.verifiedAt), desc(s.id))
        .limit(p('limit'));
    // The latest checkpoint, read with the head: the count's one query stays one.
    const checkpoints = t.logCheckpoints;
    const latestCheckpoint = (column: typeof checkpoints.size | typeof checkpoints.count) =>
      sql<number>`coalesce((SELECT ${column} FROM ${checkpoints} WHERE ${checkpoints.letterId} = ${l.id} ORDER BY ${checkpoints.size} DESC LIMIT 1), 0)`.mapWith(
        Number,
      );
    const countries = t.letterCountryCounts;
    const hours = t.letterHourCounts;
    const prepared = store.prepared.bind(store);
    this.q = {
      head: prepared<{ slug: string }, HeadWithLog[]>('press_head', (db) =>
        db
          .select({ ...headColumns, logSize: latestCheckpoint(checkpoints.size), logCount: latestCheckpoint(checkpoints.count) })
          .from(l)
          .where(eq(l.slug, p('slug'))),
      ),
      countries: prepared<{ letterId: number }, CountRow[]>('press_countries', (db) =>
        db
          .select({ key: countries.country, count: sql<number>`sum(${countries.count})`.mapWith(Number) })
          .from(countries)
          .where(eq(countries.letterId, p('letterId')))
          .groupBy(countries.country)
          .having(sql`sum(${countries.count}) > 0`)
          .orderBy(desc(sql`sum(${countries.count})`), asc(countries.country)),
      ),
      hours: prepared<{ letterId: number }, Array<{ hour: number; count: number }>>('press_hours', (db) =>
        db
          .select({ hour: hours.hour, count: sql<number>`sum(${hours.count})`.mapWith(Number) })
          .from(hours)
          .where(eq(hours.letterId, p('letterId')))
          .groupBy(hours.hour)
          .having(sql`sum(${hours.count}) <> 0`)
          .orderBy(asc(hours.hour)),
      ),
      lettersFirst: prepared<Record<string, unknown>, LetterListRow[]>('press_letters', lettersPage(false)),
      lettersAfter: prepared<Record<string, unknown>, LetterListRow[]>('press_letters_after', lettersPage(true)),
      signaturesFirst: prepared<Record<string, unknown>, PressSignature[]>('press_signatures', signaturesPage(false)),
      signaturesAfter: prepared<Record<string, unknown>, PressSignature[]>('press_signatures_after', signaturesPage(true)),
      feed: prepared<{ limit: number }, FeedRow[]>('press_feed', (db) =>
        db
          .select({
            ...listColumns,
            summary: l.summary,
            collectiveName: t.collectives.name,
            editedAt: l.editedAt,
            closedAt: l.closedAt,
            createdAt: l.createdAt,
          })
          .from(l)
          .innerJoin(t.collectives, eq(t.collectives.id, l.collectiveId))
          .where(isPublic)
          .orderBy(desc(publishedKey), desc(l.id))
          .limit(p('limit')),
      ),
    };
  }

  private get db(): Db {
    return this.store.db;
  }

  /** The few columns the count, badge and embed need: one indexed lookup on letters, and its slots. */
  async head(slug: string): Promise<HeadWithLog | undefined> {
    const [row] = await this.q.head(this.db, { slug });
    return row;
  }

  /** Published and closed letters, newest first, after a (published_at or 0, id) keyset. */
  async publicLetters(limit: number, after?: { key: number; id: number }): Promise<Array<LetterListRow & { key: number }>> {
    // Keyset values travel in cursors as milliseconds, and go back in as the column's own kind.
    const key = after && this.store.tables.letters.publishedAt.mapToDriverValue(new Date(after.key));
    const rows = after ? await this.q.lettersAfter(this.db, { limit, key, id: after.id }) : await this.q.lettersFirst(this.db, { limit });
    return rows.map((row) => ({ ...row, key: row.publishedAt?.getTime() ?? 0 }));
  }

  async feedLetters(limit: number): Promise<FeedRow[]> {
    return this.q.feed(this.db, { limit });
  }

  /** Counted signatures per country (from the counter slots), largest first. */
  async countries(letterId: number): Promise<CountRow[]> {
    return this.q.countries(this.db, { letterId });
  }

  /** Net counted signatures per hour of confirmation (from the counter slots), oldest first. */
  async hours(letterId: number): Promise<Array<{ hour: number; count: number }>> {
    return this.q.hours(this.db, { letterId });
  }

  /**
   * Listed signatures, newest first, after a (verified_at, id) keyset: stable under concurrent
   * signing. With `words` (a searchKey's words), only names with a word starting with each.
   */
  async publicSignatures(
    letterId: number,
    limit: number,
    after?: { verifiedAt: number; id: number },
    words: readonly string[] = [],
  ): Promise<PressSignature[]> {
    if (words.length > 0) return this.searchSignatures(letterId, limit, after, words);
    if (!after) return this.q.signaturesFirst(this.db, { letterId, limit });
    const verifiedAt = this.store.tables.signatures.verifiedAt.mapToDriverValue(new Date(after.verifiedAt));
    return this.q.signaturesAfter(this.db, { letterId, limit, verifiedAt, id: after.id });
  }

  /**
   * The search, in two reads. First the page's ids, from the words index alone, with work bounded
   * whatever is typed: each word's matches are counted up to a bound, and when one word is rare
   * enough its range is read, each other word a probe among the same signature's words; when
   * every word is common (say "ma a"), the words' ranges are intersected instead, which reads
   * each range once rather than probing per candidate (measured at 1,000,000 signatures: 140 ms
   * instead of 550 ms for two one- and two-letter prefixes; under 1 ms for a word of a name).
   * Then those few signatures by id, still checked as listed.
   */
  private async searchSignatures(
    letterId: number,
    limit: number,
    after: { verifiedAt: number; id: number } | undefined,
    words: readonly string[],
  ): Promise<PressSignature[]> {
    const t = this.store.tables;
    const w = t.signatureNameWords;
    const keysetOf = (table: typeof w) =>
      after &&
      sql`(${table.verifiedAt}, ${table.signatureId}) < (${w.verifiedAt.mapToDriverValue(new Date(after.verifiedAt))}, ${after.id})`;
    // One word needs no choice (its range is read either way).
    const counts = words.length === 1 ? [0] : await Promise.all(words.map((word) => this.boundedMatches(letterId, word)));
    const rarest = counts.indexOf(Math.min(...counts));
    const lead = words[rarest] as string;
    const rest = words.filter((_, i) => i !== rarest);
    let ids: Array<{ id: number }>;
    if (rest.length === 0 || (counts[rarest] as number) <= this.options.rareWordMatches) {
      const other = aliasedTable(w, 'other_word');
      ids = await this.db
        .selectDistinct({ verifiedAt: w.verifiedAt, id: w.signatureId })
        .from(w)
        .where(
          and(
            eq(w.letterId, letterId),
            startsWith(w.word, lead),
            keysetOf(w),
            ...rest.map((word) =>
              exists(
                this.db
                  .select({ one: sql`1` })
                  .from(other)
                  .where(and(eq(other.signatureId, w.signatureId), startsWith(other.word, word))),
              ),
            ),
          ),
        )
        .orderBy(desc(w.verifiedAt), desc(w.signatureId))
        .limit(limit);
    } else {
      const part = (word: string) =>
        sql`SELECT ${w.verifiedAt}, ${w.signatureId} FROM ${w} WHERE ${and(eq(w.letterId, letterId), startsWith(w.word, word), keysetOf(w))}`;
      ids = await this.store.rows<{ id: number }>(
        sql`SELECT ${sql.identifier('signature_id')} AS ${sql.identifier('id')} FROM (${sql.join(words.map(part), sql` INTERSECT `)}) AS ${sql.identifier('matches')}
            ORDER BY ${sql.identifier('verified_at')} DESC, ${sql.identifier('signature_id')} DESC LIMIT ${limit}`,
      );
    }
    if (ids.length === 0) return [];
    const s = t.signatures;
    const rows = await this.db
      .select({ ...publicSignatureColumns(t), verifiedAt: s.verifiedAt, logSig: s.logSig, logSalt: s.logSalt })
      .from(s)
      .where(
        and(
          inArray(
            s.id,
            ids.map((row) => Number(row.id)),
          ),
          listedSignature(t),
        ),
      )
      .orderBy(desc(s.verifiedAt), desc(s.id));
    return rows as PressSignature[];
  }

  /** How many of the letter's listed words start with `prefix`, counted up to one past the rare bound. */
  private async boundedMatches(letterId: number, prefix: string): Promise<number> {
    const w = this.store.tables.signatureNameWords;
    const [row] = await this.store.rows<{ n: number | string }>(
      sql`SELECT count(*) AS ${sql.identifier('n')} FROM (SELECT 1 FROM ${w} WHERE ${and(eq(w.letterId, letterId), startsWith(w.word, prefix))} LIMIT ${this.options.rareWordMatches + 1}) AS ${sql.identifier('bounded')}`,
    );
    return Number(row?.n ?? 0);
  }
}

/**
 * `column` starts with `prefix`, as a range an index answers on both stores (their text compares
 * byte by byte here: see byteOrderText in the PostgreSQL schema). U+10FFFF sorts after every
 * character that can follow the prefix.
 */
function startsWith(column: AnyColumn, prefix: string) {
  return sql`(${column} >= ${prefix} AND ${column} < ${`${prefix}\u{10FFFF}`})`;
}
