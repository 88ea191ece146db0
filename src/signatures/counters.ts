// The counters a signature moves when it starts or stops counting: the letter's total, its
// country and the hour it was confirmed in. Each is split into slots (see the schema); a unit of
// work adds to one slot chosen at random, inside its own transaction.
import { sql } from 'drizzle-orm';
import { counterSlot, type Db, type Store } from '../db/store.js';

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
  }

  /** Moves the letter's total, its country counter and its hour bucket together, by delta. */
  async applyTx(tx: Db, signature: Counted, delta: number, now: Date): Promise<void> {
    const slot = counterSlot(this.store);
    await this.total(tx, { letterId: signature.letterId, slot, delta, now });
    if (signature.country) await this.country(tx, { letterId: signature.letterId, country: signature.country, slot, delta });
    const verifiedAt = (signature.verifiedAt ?? now).getTime();
    await this.hour(tx, { letterId: signature.letterId, hour: verifiedAt - (verifiedAt % HOUR_MS), slot, delta });
  }
}
