// PostgreSQL only: a new signer's signature, its 'signed' event, both links and the confirmation
// mail in one statement, which commits by itself. New signers are nearly every request of a
// signing spike. Measured reason (bench, 2 cores shared with the server): each statement is a
// round trip through the kernel to a server process and back, and the general path's ten
// (BEGIN, the letter, the address, five inserts, COMMIT) kept the app process busy at about 370
// signings/s; see bench/RESULTS.md for the rate with this path.
//
// It writes what SignatureRepo's general path writes for a new signer (the tests hold both to
// the same rows), and nothing at all otherwise: when the letter is not open, or the address is
// already on it, no row comes back and the general path decides, in a transaction.
import { type Column, type SQL, sql } from 'drizzle-orm';
import { type Store, typedParam } from '../db/store.js';
import type { LogIdentity } from '../domain/log-entry.js';

/** The signature's own columns as the general path inserts them (status pending, mail sent now). */
/** What a signer gave, as stored, whichever way the signature is written. */
export interface SignerColumns extends LogIdentity {
  letterId: number;
  name: string;
  nameKey: string;
  email: string;
  emailKey: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
  isPublic: boolean;
  comment: string | null;
  ip: string | null;
  /** The language of the text the signer was shown. */
  language: string;
  /** The version of the text they were shown: never above the letter's own (the unit of work holds it there). */
  letterVersion: number;
}

export interface FirstSignature extends SignerColumns {
  nameHead: string;
  nameTail: string;
  nameLen: number;
  holdReason: 'spike' | null;
  updatesConsentAt: Date | null;
  updatesConsentWording: string | null;
}

export interface FirstLinks {
  verify: { tokenHash: string; expiresAt: Date };
  withdraw: { tokenHash: string; expiresAt: Date };
}

export interface FirstMail {
  kind: string;
  to: string;
  data: string;
}

type Values = Array<[Column, SQL]>;

export class OneTripSigning {
  private readonly statement;

  constructor(store: Store) {
    const { signatures: s, signatureEvents: e, signatureTokens: k, outbox: o, letters: l } = store.tables;
    const v = typedParam;
    const typed: Record<Exclude<keyof FirstSignature, 'letterId' | 'updatesConsentAt' | 'letterVersion'>, Column> = {
      name: s.name,
      nameKey: s.nameKey,
      nameHead: s.nameHead,
      nameTail: s.nameTail,
      nameLen: s.nameLen,
      email: s.email,
      emailKey: s.emailKey,
      title: s.title,
      organisation: s.organisation,
      country: s.country,
      isPublic: s.isPublic,
      comment: s.comment,
      ip: s.ip,
      language: s.language,
      logSig: s.logSig,
      logSalt: s.logSalt,
      logCommitment: s.logCommitment,
      holdReason: s.holdReason,
      updatesConsentWording: s.updatesConsentWording,
    };
    const signature: Values = [
      [s.letterId, sql`l.id`],
      [s.letterVersion, sql`LEAST(${v(s.letterVersion, 'letterVersion')}, l.version)`],
      ...Object.entries(typed).map(([key, column]): [Column, SQL] => [column, v(column, key)]),
      // A null time cannot be bound through the column's encoding: the consent's time is sent
      // whatever it is, and kept only when consent was given.
      [s.updatesConsentAt, sql`CASE WHEN ${v(s.isPublic, 'consents')} THEN ${v(s.updatesConsentAt, 'updatesConsentAt')} END`],
      [s.status, sql`'pending'`],
      [s.lastMailAt, v(s.lastMailAt, 'now')],
      [s.createdAt, v(s.createdAt, 'now')],
      [s.updatedAt, v(s.updatedAt, 'now')],
    ];
    const event: Values = [
      [e.signatureId, sql`s.id`],
      [e.letterId, sql`s.letter_id`],
      [e.type, sql`'signed'`],
      [e.fromStatus, sql`NULL`],
      [e.toStatus, sql`'pending'`],
      [e.countDelta, sql`0`],
      [e.organizerId, sql`NULL`],
      [e.at, v(e.at, 'now')],
    ];
    const link = (purpose: 'verify' | 'withdraw'): Values => [
      [k.signatureId, sql`s.id`],
      [k.purpose, sql.raw(`'${purpose}'`)],
      [k.tokenHash, v(k.tokenHash, `${purpose}Hash`)],
      [k.expiresAt, v(k.expiresAt, `${purpose}ExpiresAt`)],
      [k.createdAt, v(k.createdAt, 'now')],
    ];
    const queued: Values = [
      [o.kind, v(o.kind, 'mailKind')],
      [o.to, v(o.to, 'mailTo')],
      [o.data, v(o.data, 'mailData')],
      [o.nextAttemptAt, v(o.nextAttemptAt, 'now')],
      [o.createdAt, v(o.createdAt, 'now')],
    ];
    const id = (column: Column) => sql.identifier(column.name);
    // The letter is open: domain/letter-rules isSignable, in SQL. It only narrows this path; a
    // letter it lets through was found signable by the caller a moment ago.
    this.statement = store.preparedSql<Record<string, unknown>, { id: number }>(
      'sig_first',
      sql`WITH l AS (
            SELECT ${id(l.id)} AS id, ${id(l.version)} AS version FROM ${l}
             WHERE ${id(l.id)} = ${v(l.id, 'letterId')} AND ${id(l.status)} = 'published'
               AND (${id(l.closesAt)} IS NULL OR ${id(l.closesAt)} > ${v(l.closesAt, 'now')})
          ), s AS (
            INSERT INTO ${s} (${columns(signature)}) SELECT ${values(signature)} FROM l
            ON CONFLICT (${id(s.letterId)}, ${id(s.emailKey)}) DO NOTHING
            RETURNING ${id(s.id)} AS id, ${id(s.letterId)} AS letter_id
          ), e AS (
            INSERT INTO ${e} (${columns(event)}) SELECT ${values(event)} FROM s
          ), k AS (
            INSERT INTO ${k} (${columns(link('verify'))})
            SELECT ${values(link('verify'))} FROM s UNION ALL SELECT ${values(link('withdraw'))} FROM s
          ), o AS (
            INSERT INTO ${o} (${columns(queued)}) SELECT ${values(queued)} FROM s
          )
          SELECT id FROM s`,
      // A pending signature is in no count, list or page: readers' caches stay as they are.
      { seenByCaches: false },
    );
  }

  /** The new signature's id, or null when nothing was written (the general path decides). */
  async create(signature: FirstSignature, links: FirstLinks, mail: FirstMail, now: Date): Promise<number | null> {
    const [row] = await this.statement(null, {
      ...signature,
      consents: signature.updatesConsentAt !== null,
      updatesConsentAt: signature.updatesConsentAt ?? now,
      now,
      verifyHash: links.verify.tokenHash,
      verifyExpiresAt: links.verify.expiresAt,
      withdrawHash: links.withdraw.tokenHash,
      withdrawExpiresAt: links.withdraw.expiresAt,
      mailKind: mail.kind,
      mailTo: mail.to,
      mailData: mail.data,
    });
    return row ? Number(row.id) : null;
  }
}

function columns(pairs: Values): SQL {
  return sql.join(
    pairs.map(([column]) => sql.identifier(column.name)),
    sql`, `,
  );
}

function values(pairs: Values): SQL {
  return sql.join(
    pairs.map(([, value]) => value),
    sql`, `,
  );
}
