// The counters a signature moves when it starts or stops counting: the letter's total, its
// country and the hour it was confirmed in. Each is split into slots (see the schema); a unit of
// work adds to its connection's slot (Store.slotOf), inside its own transaction, so concurrent
// confirmations do not queue on one row.
import { type Column, sql } from 'drizzle-orm';
import { type Db, type Store, typedParam } from '../db/store.js';

const HOUR_MS = 3600 * 1000;

export interface Counted {
  letterId: number;
  country: string | null;
  verifiedAt: Date | null;
}

export class Counters {
  private readonly total;
  private readonly country;
  private readonly hour;
  /**
   * PostgreSQL: the three in one statement. Each statement is a round trip to the server, which
   * costs this machine more than the statement itself (see one-trip-signing.ts).
   */
  private readonly together;

  constructor(private readonly store: Store) {
    const t = store.tables;
    const p = sql.placeholder;
    const slots = t.letterCountSlots;
    this.total = store.prepared<{ letterId: number; slot: number; delta: number; now: Date }, unknown>('count_total', (db) =>
      db
        .insert(slots)
        .values({ letterId: p('letterId'), slot: p('slot'), count: p('delta'), updatedAt: p('now') })
        .onConflictDoUpdate({
          target: [slots.letterId, slots.slot],
          set: { count: sql`${slots.count} + excluded.count`, updatedAt: sql`excluded.updated_at` },
        }),
    );
    const countries = t.letterCountryCounts;
    this.country = store.prepared<{ letterId: number; country: string; slot: number; delta: number }, unknown>('count_country', (db) =>
      db
        .insert(countries)
        .values({ letterId: p('letterId'), country: p('country'), slot: p('slot'), count: p('delta') })
        .onConflictDoUpdate({
          target: [countries.letterId, countries.country, countries.slot],
          set: { count: sql`${countries.count} + excluded.count` },
        }),
    );
    const hours = t.letterHourCounts;
    this.hour = store.prepared<{ letterId: number; hour: number; slot: number; delta: number }, unknown>('count_hour', (db) =>
      db
        .insert(hours)
        .values({ letterId: p('letterId'), hour: p('hour'), slot: p('slot'), count: p('delta') })
        .onConflictDoUpdate({ target: [hours.letterId, hours.hour, hours.slot], set: { count: sql`${hours.count} + excluded.count` } }),
    );
    const v = typedParam;
    const id = (column: Column) => sql.identifier(column.name);
    this.together =
      store.dialect === 'postgres'
        ? store.preparedSql<{ letterId: number; country: string | null; hour: number; slot: number; delta: number; now: Date }, never>(
            'count_all',
            sql`WITH total AS (
                  INSERT INTO ${slots} (${id(slots.letterId)}, ${id(slots.slot)}, ${id(slots.count)}, ${id(slots.updatedAt)})
                  VALUES (${v(slots.letterId, 'letterId')}, ${v(slots.slot, 'slot')}, ${v(slots.count, 'delta')}, ${v(slots.updatedAt, 'now')})
                  ON CONFLICT (${id(slots.letterId)}, ${id(slots.slot)})
                  DO UPDATE SET ${id(slots.count)} = ${slots.count} + excluded.count, ${id(slots.updatedAt)} = excluded.updated_at
                ), country AS (
                  INSERT INTO ${countries} (${id(countries.letterId)}, ${id(countries.country)}, ${id(countries.slot)}, ${id(countries.count)})
                  SELECT ${v(countries.letterId, 'letterId')}, ${v(countries.country, 'country')}, ${v(countries.slot, 'slot')}, ${v(countries.count, 'delta')}
                   WHERE ${v(countries.country, 'country')} IS NOT NULL
                  ON CONFLICT (${id(countries.letterId)}, ${id(countries.country)}, ${id(countries.slot)})
                  DO UPDATE SET ${id(countries.count)} = ${countries.count} + excluded.count
                )
                INSERT INTO ${hours} (${id(hours.letterId)}, ${id(hours.hour)}, ${id(hours.slot)}, ${id(hours.count)})
                VALUES (${v(hours.letterId, 'letterId')}, ${v(hours.hour, 'hour')}, ${v(hours.slot, 'slot')}, ${v(hours.count, 'delta')})
                ON CONFLICT (${id(hours.letterId)}, ${id(hours.hour)}, ${id(hours.slot)})
                DO UPDATE SET ${id(hours.count)} = ${hours.count} + excluded.count`,
          )
        : null;
  }

  /** Moves the letter's total, its country counter and its hour bucket together, by delta. */
  async applyTx(tx: Db, signature: Counted, delta: number, now: Date): Promise<void> {
    const slot = this.store.slotOf(tx);
    const verifiedAt = (signature.verifiedAt ?? now).getTime();
    const hour = verifiedAt - (verifiedAt % HOUR_MS);
    if (this.together) {
      await this.together(tx, { letterId: signature.letterId, country: signature.country, hour, slot, delta, now });
      return;
    }
    await this.total(tx, { letterId: signature.letterId, slot, delta, now });
    if (signature.country) await this.country(tx, { letterId: signature.letterId, country: signature.country, slot, delta });
    await this.hour(tx, { letterId: signature.letterId, hour, slot, delta });
  }
}
