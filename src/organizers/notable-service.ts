// Curating a letter's notable signatories: promote verified signers, add names by hand, edit,
// reorder, remove. The letter page and the press API read the list in its stored order.
import { currentTranslator } from '../i18n/context.js';
import type { LetterAccess } from './access.js';
import type { FieldErrors } from './form.js';
import type { NotableChange, NotableRepo } from './notable-repo.js';
import type { SignedInOrganizer } from './session-repo.js';

/** Why a change was refused, in the page's language (`organizers.notables.refused`, by reason). */
function refusal(reason: Exclude<NotableChange, { ok: true }>['reason']): string {
  return currentTranslator().t('organizers.notables.refused', { reason });
}

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
    return change.ok ? { ok: true } : { ok: false, errors: { [field]: refusal(change.reason) } };
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
    if (existing && existing.signatureId === null && input.name === '')
      return { ok: false, errors: { name: currentTranslator().t('organizers.form.aNameRequired') } };
    return this.outcome(await this.repo.update(access.letter.id, id, input, this.actor(access, organizer)));
  }

  async remove(access: LetterAccess, organizer: SignedInOrganizer, id: number): Promise<CurationOutcome> {
    return this.outcome(await this.repo.remove(access.letter.id, id, this.actor(access, organizer)));
  }

  async move(access: LetterAccess, organizer: SignedInOrganizer, id: number, direction: 'up' | 'down'): Promise<CurationOutcome> {
    return this.outcome(await this.repo.move(access.letter.id, id, direction, this.actor(access, organizer)));
  }
}
