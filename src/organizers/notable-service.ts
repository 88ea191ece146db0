// Curating a letter's notable signatories: promote verified signers, add names by hand, edit,
// reorder, remove. The letter page and the press API read the list in its stored order.
import type { LetterAccess } from './access.js';
import type { FieldErrors } from './form.js';
import type { NotableChange, NotableRepo } from './notable-repo.js';
import type { SignedInOrganizer } from './session-repo.js';

const MESSAGES: Record<Exclude<NotableChange, { ok: true }>['reason'], string> = {
  not_found: 'That entry or signature is not on this letter.',
  not_verified: 'Only confirmed, counted signatures can be promoted.',
  not_public: 'This signer chose not to be listed publicly (or the signature is hidden), so it cannot be shown as notable.',
  already_notable: 'This signature is already on the notable list.',
};

export type CurationOutcome = { ok: true } | { ok: false; errors: FieldErrors };

export class NotableService {
  constructor(
    private readonly repo: NotableRepo,
    private readonly now: () => Date,
  ) {}

  private actor(access: LetterAccess, organizer: SignedInOrganizer) {
    return { collectiveId: access.letter.collectiveId, organizerId: organizer.id, now: this.now() };
  }

  private outcome(change: NotableChange<unknown>, field = '_form'): CurationOutcome {
    return change.ok ? { ok: true } : { ok: false, errors: { [field]: MESSAGES[change.reason] } };
  }

  list(letterId: number) {
    return this.repo.list(letterId);
  }

  find(letterId: number, id: number) {
    return this.repo.find(letterId, id);
  }

  candidates(letterId: number, query: string) {
    return query.trim().length < 2 ? Promise.resolve([]) : this.repo.candidates(letterId, query.trim());
  }

  async add(access: LetterAccess, organizer: SignedInOrganizer, input: { name: string; description: string }): Promise<CurationOutcome> {
    await this.repo.add(access.letter.id, input, this.actor(access, organizer));
    return { ok: true };
  }

  async promote(access: LetterAccess, organizer: SignedInOrganizer, signatureId: number, description: string): Promise<CurationOutcome> {
    return this.outcome(await this.repo.promote(access.letter.id, signatureId, description, this.actor(access, organizer)), 'signature_id');
  }

  async update(
    access: LetterAccess,
    organizer: SignedInOrganizer,
    id: number,
    input: { name: string; description: string },
  ): Promise<CurationOutcome> {
    const existing = await this.repo.find(access.letter.id, id);
    if (existing && existing.signatureId === null && input.name === '') return { ok: false, errors: { name: 'Please enter a name.' } };
    return this.outcome(await this.repo.update(access.letter.id, id, input, this.actor(access, organizer)));
  }

  async remove(access: LetterAccess, organizer: SignedInOrganizer, id: number): Promise<CurationOutcome> {
    return this.outcome(await this.repo.remove(access.letter.id, id, this.actor(access, organizer)));
  }

  async move(access: LetterAccess, organizer: SignedInOrganizer, id: number, direction: 'up' | 'down'): Promise<CurationOutcome> {
    return this.outcome(await this.repo.move(access.letter.id, id, direction, this.actor(access, organizer)));
  }
}
