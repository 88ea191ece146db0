// CSV export of a letter's signatures, for owners and moderators. Each export is audited:
// it hands over every signer's email address.
import type { Store } from '../db/store.js';
import type { SignatureStatus } from '../db/vocabulary.js';
import type { LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import type { AuditRepo } from './audit-repo.js';
import { exportFilename, signaturesCsv } from './csv-export.js';

export class ExportService {
  constructor(
    private readonly store: Store,
    private readonly letters: LetterRepo,
    private readonly audit: AuditRepo,
    private readonly now: () => Date,
  ) {}

  /** The command line's export, by slug, whatever the letter's status (null: no such letter). */
  async bySlug(slug: string, status: SignatureStatus | null, via: 'cli') {
    const letter = await this.letters.findBySlug(slug);
    return letter ? this.signatures(letter, null, status, via) : null;
  }

  async signatures(letter: LetterWithCollective, organizerId: number | null, status: SignatureStatus | null, via: 'web' | 'cli') {
    const now = this.now();
    await this.audit.record({
      collectiveId: letter.collectiveId,
      letterId: letter.id,
      organizerId,
      action: 'signatures.export',
      targetType: 'letter',
      targetId: letter.id,
      after: { status: status ?? 'all', via },
      at: now,
    });
    return { filename: exportFilename(letter.slug, status, now), stream: signaturesCsv(this.store, letter.id, status) };
  }
}
