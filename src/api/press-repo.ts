// Reads for the press API, badges, feed and charts: prepared once, indexed, and apart from the
// public signature list they read only the letters row and its counter tables, never
// `signatures`, so a spike of readers costs point lookups.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  collectives,
  type LetterStatus,
  letterCountryCounts,
  letterHourCounts,
  letters,
  publicSignatureColumns,
  signatures,
} from '../db/schema.js';

export interface LetterHead {
  id: number;
  slug: string;
  title: string;
  status: LetterStatus;
  signatureCount: number;
  goal: number | null;
  updatedAt: Date;
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

export interface SignatureRow {
  id: number;
  name: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
  verifiedAt: number;
}

export interface CountRow {
  key: string;
  count: number;
}

const PUBLIC_STATUSES: LetterStatus[] = ['published', 'closed'];
/** Letters closed straight from draft have no publication date; they sort as the oldest. */
const publishedKey = sql<number>`coalesce(${letters.publishedAt}, 0)`;
// Literal, not bound, so SQLite can prove the partial index signatures_public_list_idx applies.
const listedSignature = sql`${signatures.status} = 'verified' AND ${signatures.isPublic} = 1 AND ${signatures.hidden} = 0`;

export class PressRepo {
  private readonly stmts;
  private readonly totalChanges: () => number;

  constructor(db: Db) {
    const p = sql.placeholder;
    // SQLite-specific and nearly free (no read transaction): PostgreSQL would use a short TTL instead.
    const totalChanges = db.$client.prepare('SELECT total_changes()').pluck();
    this.totalChanges = () => totalChanges.get() as number;
    const headColumns = {
      id: letters.id,
      slug: letters.slug,
      title: letters.title,
      status: letters.status,
      signatureCount: letters.signatureCount,
      goal: letters.goal,
      updatedAt: letters.updatedAt,
    };
    const listColumns = { ...headColumns, publishedAt: letters.publishedAt, closesAt: letters.closesAt };
    const isPublic = inArray(letters.status, PUBLIC_STATUSES);
    const lettersPage = (after: boolean) =>
      db
        .select(listColumns)
        .from(letters)
        .where(and(isPublic, after ? sql`(${publishedKey}, ${letters.id}) < (${p('key')}, ${p('id')})` : undefined))
        .orderBy(desc(publishedKey), desc(letters.id))
        .limit(p('limit'))
        .prepare();
    const signaturesPage = (after: boolean) =>
      db
        .select({
          ...publicSignatureColumns,
          // Raw milliseconds: they go straight into the next cursor.
          verifiedAt: sql<number>`${signatures.verifiedAt}`,
        })
        .from(signatures)
        .where(
          and(
            eq(signatures.letterId, p('letterId')),
            listedSignature,
            after ? sql`(${signatures.verifiedAt}, ${signatures.id}) < (${p('verifiedAt')}, ${p('id')})` : undefined,
          ),
        )
        .orderBy(desc(signatures.verifiedAt), desc(signatures.id))
        .limit(p('limit'))
        .prepare();

    this.stmts = {
      head: db
        .select(headColumns)
        .from(letters)
        .where(eq(letters.slug, p('slug')))
        .prepare(),
      countries: db
        .select({ key: letterCountryCounts.country, count: letterCountryCounts.count })
        .from(letterCountryCounts)
        .where(and(eq(letterCountryCounts.letterId, p('letterId')), sql`${letterCountryCounts.count} > 0`))
        .orderBy(desc(letterCountryCounts.count), asc(letterCountryCounts.country))
        .prepare(),
      hours: db
        .select({ hour: letterHourCounts.hour, count: letterHourCounts.count })
        .from(letterHourCounts)
        .where(and(eq(letterHourCounts.letterId, p('letterId')), sql`${letterHourCounts.count} <> 0`))
        .orderBy(asc(letterHourCounts.hour))
        .prepare(),
      lettersFirst: lettersPage(false),
      lettersAfter: lettersPage(true),
      signaturesFirst: signaturesPage(false),
      signaturesAfter: signaturesPage(true),
      feed: db
        .select({
          ...listColumns,
          summary: letters.summary,
          collectiveName: collectives.name,
          editedAt: letters.editedAt,
          closedAt: letters.closedAt,
          createdAt: letters.createdAt,
        })
        .from(letters)
        .innerJoin(collectives, eq(collectives.id, letters.collectiveId))
        .where(isPublic)
        .orderBy(desc(publishedKey), desc(letters.id))
        .limit(p('limit'))
        .prepare(),
    };
  }

  /**
   * A number that moves whenever this process writes to the database (rows inserted, updated
   * or deleted on its connection). Cheaper than any read: a cached count stays valid while it
   * stands still. Writes from other processes (the CLI) are not seen; callers bound staleness.
   */
  changeMark(): number {
    return this.totalChanges();
  }

  /** The few columns the count, badge and embed need: one indexed lookup on letters. */
  async head(slug: string): Promise<LetterHead | undefined> {
    return this.stmts.head.get({ slug });
  }

  /** Published and closed letters, newest first, after a (published_at or 0, id) keyset. */
  async publicLetters(limit: number, after?: { key: number; id: number }): Promise<Array<LetterListRow & { key: number }>> {
    const rows = after ? this.stmts.lettersAfter.all({ limit, ...after }) : this.stmts.lettersFirst.all({ limit });
    return rows.map((row) => ({ ...row, key: row.publishedAt?.getTime() ?? 0 }));
  }

  async feedLetters(limit: number): Promise<FeedRow[]> {
    return this.stmts.feed.all({ limit });
  }

  /** Counted signatures per country (from the counter table), largest first. */
  async countries(letterId: number): Promise<CountRow[]> {
    return this.stmts.countries.all({ letterId });
  }

  /** Net counted signatures per hour of confirmation (from the counter table), oldest first. */
  async hours(letterId: number): Promise<Array<{ hour: number; count: number }>> {
    return this.stmts.hours.all({ letterId });
  }

  /** Listed signatures, newest first, after a (verified_at, id) keyset: stable under concurrent signing. */
  async publicSignatures(letterId: number, limit: number, after?: { verifiedAt: number; id: number }): Promise<SignatureRow[]> {
    return after ? this.stmts.signaturesAfter.all({ letterId, limit, ...after }) : this.stmts.signaturesFirst.all({ letterId, limit });
  }
}
