// Signing, confirming and withdrawing: the rules around the signature repository.
import { isSignable } from '../domain/letter-rules.js';
import { logIdentity } from '../domain/log-entry.js';
import { nameKey } from '../domain/name-key.js';
import { sourceKeys } from '../domain/spike.js';
import { consentGiven } from '../domain/update-consent.js';
import { LetterClosed, ValidationFailed } from '../errors.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import type { LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import type { PublicLetters } from '../letters/public-letters.js';
import type { SignatureFields } from './signature-input.js';
import type { NewSignature, Signature, SignatureRepo } from './signature-repo.js';

export interface SignServiceDeps {
  letters: LetterRepo;
  publicLetters: PublicLetters;
  signatures: SignatureRepo;
  now: () => Date;
  /** Whether the spike guard watches signing (SPIKE_GUARD). */
  spikeGuard: boolean;
  isDisposableDomain: ((domain: string) => boolean) | null;
  /** Called after mail was queued, so the outbox worker sends it without waiting for its timer. */
  mailQueued: () => void;
}

/** A signature confirmed elsewhere (demo data, fixtures), counted like any other. */
export interface ConfirmedSignature {
  letterId: number;
  name: string;
  email: string;
  emailKey: string;
  title?: string | null;
  organisation?: string | null;
  country?: string | null;
  isPublic?: boolean;
  /** Consented to updates when it was confirmed. */
  updates?: boolean;
}

/** What the signing page says it showed: the language and version of the letter's text. */
export interface ShownTextInput {
  language?: string;
  version?: number;
}

/**
 * The language and version a signature records. The form sends what its page showed; the API,
 * which shows no text, signs the letter's own. A language the site does not have, or a version
 * the letter never had, is the letter's own (the unit of work also caps the version at the
 * letter's current one, which a cached letter may trail).
 */
export function shownColumns(letter: { language: string; version: number }, shown: ShownTextInput = {}) {
  const version = shown.version;
  return {
    language: isLocale(shown.language) ? shown.language : letter.language,
    letterVersion:
      version !== undefined && Number.isSafeInteger(version) && version >= 1 ? Math.min(version, letter.version) : letter.version,
  };
}

export class SignService {
  constructor(private readonly deps: SignServiceDeps) {}

  /**
   * Signs a letter. Resolves the same way whether the address is new, pending or already
   * counted, so the response never reveals who has signed.
   */
  async sign(
    slug: string,
    fields: SignatureFields,
    meta: { ip: string | null; locale?: Locale; shown?: ShownTextInput },
  ): Promise<LetterWithCollective> {
    const locale = meta.locale ?? DEFAULT_LOCALE;
    const letter = await this.deps.publicLetters.publicLetter(slug);
    const now = this.deps.now();
    if (!isSignable(letter, now)) throw new LetterClosed();
    if (this.deps.isDisposableDomain?.(fields.emailDomain)) {
      throw new ValidationFailed({
        email: 'site.sign.error.disposable',
      });
    }
    const input: NewSignature = {
      letterId: letter.id,
      name: fields.name,
      nameKey: nameKey(fields.name),
      email: fields.email,
      emailKey: fields.emailKey,
      title: fields.title,
      organisation: fields.organisation,
      country: fields.country,
      isPublic: fields.isPublic,
      comment: fields.comment,
      ip: meta.ip,
      ...shownColumns(letter, meta.shown),
      sources: this.deps.spikeGuard ? sourceKeys(meta.ip, fields.emailDomain) : [],
      // The words beside the box in the language the form was shown in.
      updatesConsent: consentGiven(fields.updates, now, locale),
      // Hashed here, not in the unit of work: confirming only copies the commitment into the log.
      ...logIdentity(fields),
    };
    // The mail names the letter as the signer read it: in the translation they signed, if any.
    const translated =
      input.language !== letter.language ? await this.deps.letters.translations.find(letter.id, input.language) : undefined;
    await this.deps.signatures.createPendingSignature(input, translated ? { ...letter, title: translated.title } : letter, now, locale);
    this.deps.mailQueued();
    return letter;
  }

  /** Sends a new link for a signature whose link expired. Quietly does nothing when not allowed. */
  async resend(token: string, locale: Locale = DEFAULT_LOCALE): Promise<LetterWithCollective | null> {
    const now = this.deps.now();
    const found = await this.deps.signatures.lookupToken(token, 'verify', now);
    if (found.state === 'unknown') return null;
    const sig = found.signature;
    const letter = await this.letterById(sig.letterId);
    if (!letter || !isSignable(letter, now)) return letter ?? null;
    if (await this.deps.signatures.resendVerification(sig.id, letter, now, locale)) this.deps.mailQueued();
    return letter;
  }

  async confirm(token: string) {
    const outcome = await this.deps.signatures.verifySignature(token, this.deps.now());
    const letter = 'letterId' in outcome ? await this.letterById(outcome.letterId) : undefined;
    return { outcome, letter };
  }

  async peek(token: string, purpose: 'verify' | 'withdraw') {
    const found = await this.deps.signatures.lookupToken(token, purpose, this.deps.now());
    const letter = found.state === 'unknown' ? undefined : await this.letterById(found.signature.letterId);
    return { ...found, letter };
  }

  async withdraw(token: string) {
    const outcome = await this.deps.signatures.withdrawSignature(token, this.deps.now());
    const letter = 'letterId' in outcome ? await this.letterById(outcome.letterId) : undefined;
    return { outcome, letter };
  }

  /** Records a signature confirmed outside the site: no mail, the same counters and events. */
  addConfirmed(signature: ConfirmedSignature, confirmedAt: Date): Promise<Signature> {
    const fields = {
      name: signature.name,
      title: signature.title ?? null,
      organisation: signature.organisation ?? null,
      country: signature.country ?? null,
    };
    return this.deps.signatures.addVerifiedSignature(
      {
        letterId: signature.letterId,
        ...fields,
        nameKey: nameKey(signature.name),
        email: signature.email,
        emailKey: signature.emailKey,
        isPublic: signature.isPublic ?? true,
        comment: null,
        ip: null,
        sources: [],
        updatesConsent: consentGiven(signature.updates === true, confirmedAt),
        ...logIdentity(fields),
      },
      confirmedAt,
    );
  }

  private letterById(id: number): Promise<LetterWithCollective | undefined> {
    return this.deps.letters.findById(id);
  }
}
