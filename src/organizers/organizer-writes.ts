// What the account and membership repositories share: the store, and the audit log, outbox and
// sessions their units of work write to beside their own rows (a change, its audit entry and its
// mail commit together).
import type { Store, Tables } from '../db/store.js';
import type { OutboxRepo } from '../mail/outbox-repo.js';
import type { AuditRepo } from './audit-repo.js';
import type { SessionRepo } from './session-repo.js';

export abstract class OrganizerWrites {
  protected readonly t: Tables;

  constructor(
    protected readonly store: Store,
    protected readonly audit: AuditRepo,
    protected readonly outbox: OutboxRepo,
    protected readonly sessions: SessionRepo,
  ) {
    this.t = store.tables;
  }
}
