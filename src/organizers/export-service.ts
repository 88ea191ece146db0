// CSV export of a letter's signatures, for owners and moderators. Each export is audited:
// it hands over every signer's email address.
import type { Config } from '../config.js';
import type { SignatureStatus } from '../db/schema.js';
import type { LetterWithCollective } from '../letters/letter-repo.js';
import type { AuditRepo } from './audit-repo.js';
import { exportFilename, signaturesCsv } from './csv-export.js';

export class ExportService {
  constructor(
    private readonly config: Config,
    private readonly audit: AuditRepo,
    private readonly now: () => Date,
  ) {}

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
    return { filename: exportFilename(letter.slug, status, now), stream: signaturesCsv(this.config.databasePath, letter.id, status) };
  }
}
