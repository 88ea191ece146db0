// When moderators hear about signatures held for review, and what they are told: one mail at
// most an hour per collective, only when something new was held since the last one, saying per
// letter how many wait and why.
import { HOLD_REASONS, type HoldReason } from './signature-lifecycle.js';

/** At most one digest per collective in this time. */
export const DIGEST_INTERVAL_MS = 3_600_000;

/**
 * A digest covers what was held until this long ago, not up to the last moment: on PostgreSQL
 * event ids are handed out before their transactions commit, so the newest ids may still have
 * older neighbours on their way. Units of work last milliseconds; a minute is far beyond them.
 */
export const DIGEST_SETTLE_MS = 60_000;

/** Whether a collective last mailed at `lastAt` may be mailed again at `now`. */
export function digestDue(lastAt: Date | null, now: Date): boolean {
  return lastAt === null || now.getTime() - lastAt.getTime() >= DIGEST_INTERVAL_MS;
}

/** Why signatures are held, as the digest says it (the moderation page says the same). */
export const HOLD_REASON_LABELS: Record<HoldReason, string> = {
  name_duplicate: 'same name as another signature',
  notable: 'the name of a notable signatory',
  spike: 'signed during a sudden surge',
  previously_rejected: 'signed again after being rejected',
};

export interface WaitingSummary {
  total: number;
  /** Reasons with at least one signature, in the lifecycle's order. */
  reasons: Array<{ reason: HoldReason; label: string; count: number }>;
}

/** A letter's held signatures by reason, as a digest lists them. */
export function waitingSummary(byReason: Partial<Record<HoldReason, number>>): WaitingSummary {
  const reasons = HOLD_REASONS.flatMap((reason) => {
    const count = byReason[reason] ?? 0;
    return count > 0 ? [{ reason, label: HOLD_REASON_LABELS[reason], count }] : [];
  });
  return { total: reasons.reduce((sum, r) => sum + r.count, 0), reasons };
}
