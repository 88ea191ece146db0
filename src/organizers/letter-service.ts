// The rules of letter editing: who sees which letters, slugs that stay put once published,
// deadlines in the future, and the status lifecycle. Versioning is LetterRepo's job.
import type { LetterStatus } from '../db/vocabulary.js';
import { markdownWarnings } from '../domain/markdown.js';
import { currentTranslator } from '../i18n/context.js';
import type { Letter } from '../letters/letter-repo.js';
import type { Access, LetterAccess } from './access.js';
import type { FieldErrors } from './form.js';
import type { LetterAdminRepo } from './letter-admin-repo.js';
import { type LetterForm, toLetterFields } from './letter-form.js';
import { canMove } from './letter-status.js';
import { can } from './permissions.js';
import type { Membership, SignedInOrganizer } from './session-repo.js';

export const SPARKLINE_DAYS = 30;

export type SaveOutcome = { ok: true; letter: Letter } | { ok: false; errors: FieldErrors };

export interface LetterServiceDeps {
  repo: LetterAdminRepo;
  access: Access;
  now: () => Date;
}

/** Text the editor will not save: an image without a description (see domain/markdown.ts). */
function bodyErrors(form: LetterForm): FieldErrors {
  const refused = markdownWarnings(form.body).find((w) => w.refused);
  return refused ? { body: currentTranslator().t('organizers.markdown.warning', { code: refused.code, subject: refused.subject }) } : {};
}

export class LetterService {
  constructor(private readonly deps: LetterServiceDeps) {}

  async dashboard(organizer: SignedInOrganizer) {
    const collectiveIds = organizer.memberships.map((m) => m.collectiveId);
    const letters = await this.deps.repo.forCollectives(collectiveIds);
    const ids = letters.map((l) => l.id);
    const now = this.deps.now();
    const [queues, daily] = await Promise.all([this.deps.repo.queueCounts(ids), this.deps.repo.dailyCounts(ids, SPARKLINE_DAYS, now)]);
    const roles = new Map(organizer.memberships.map((m) => [m.collectiveId, m.role]));
    return letters.map((letter) => {
      const role = roles.get(letter.collectiveId) ?? 'moderator';
      const series = daily.get(letter.id) ?? [];
      return {
        letter,
        role,
        canEdit: can(role, 'edit_letter'),
        canModerate: can(role, 'moderate'),
        pending: queues.get(letter.id)?.pending ?? 0,
        held: queues.get(letter.id)?.held ?? 0,
        daily: series,
        lastDays: series.reduce((a, b) => a + b, 0),
      };
    });
  }

  /** Collectives where this organizer may start a letter. */
  writableCollectives(organizer: SignedInOrganizer): Membership[] {
    return this.deps.access.collectivesWhere(organizer, 'edit_letter');
  }

  async create(organizer: SignedInOrganizer, collectiveId: number, form: LetterForm): Promise<SaveOutcome> {
    const collective = this.writableCollectives(organizer).find((m) => m.collectiveId === collectiveId);
    if (!collective) return { ok: false, errors: { collective: currentTranslator().t('organizers.error.chooseWritableCollective') } };
    const now = this.deps.now();
    const errors: FieldErrors = { ...bodyErrors(form) };
    if (form.closes_at && form.closes_at <= now) errors.closes_at = currentTranslator().t('organizers.error.closesInPast');
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const saved = await this.deps.repo.create(collectiveId, toLetterFields(form), organizer.id, now);
    return saved.ok ? saved : { ok: false, errors: { slug: currentTranslator().t('organizers.error.slugTaken') } };
  }

  async update(access: LetterAccess, organizer: SignedInOrganizer, form: LetterForm): Promise<SaveOutcome> {
    const { letter } = access;
    const fields = toLetterFields(form);
    const now = this.deps.now();
    const errors: FieldErrors = { ...bodyErrors(form) };
    // Links to a published letter are out in the world: its address stays.
    if (letter.publishedAt && fields.slug !== letter.slug) {
      errors.slug = currentTranslator().t('organizers.error.slugFixed');
    }
    const closesChanged = (fields.closesAt?.getTime() ?? null) !== (letter.closesAt?.getTime() ?? null);
    if (closesChanged && fields.closesAt && fields.closesAt <= now)
      errors.closes_at = currentTranslator().t('organizers.error.closesInPast');
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const saved = await this.deps.repo.update(letter.id, fields, organizer.id, now);
    return saved.ok ? saved : { ok: false, errors: { slug: currentTranslator().t('organizers.error.slugTaken') } };
  }

  /** Why the letter cannot move to `to` now, or null when it can (or already is there). */
  statusProblem(letter: Letter, to: LetterStatus): string | null {
    if (letter.status === to) return null;
    if (!canMove(letter.status, to)) return currentTranslator().t('organizers.error.cannotMove', { from: letter.status, to });
    if (to === 'published' && letter.closesAt && letter.closesAt <= this.deps.now()) {
      return currentTranslator().t('organizers.error.closingPassed');
    }
    return null;
  }

  async setStatus(
    access: LetterAccess,
    organizer: SignedInOrganizer,
    to: LetterStatus,
  ): Promise<{ ok: true; letter: Letter } | { ok: false; message: string }> {
    const { letter } = access;
    const problem = this.statusProblem(letter, to);
    if (problem) return { ok: false, message: problem };
    if (letter.status === to) return { ok: true, letter };
    return { ok: true, letter: await this.deps.repo.setStatus(letter.id, to, organizer.id, this.deps.now()) };
  }

  statusCounts(letterId: number) {
    return this.deps.repo.statusCounts(letterId);
  }
}
