// Signing, confirming and withdrawing: the rules around the signature repository.
import { isSignable } from '../domain/letter-rules.js';
import { nameKey } from '../domain/name-key.js';
import { LetterClosed, NotFound, ValidationFailed } from '../errors.js';
import type { LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import type { SignatureFields } from './signature-input.js';
import type { NewSignature, SignatureRepo } from './signature-repo.js';
import { type SpikeGuard, sourceKeys } from './spike-guard.js';

export interface SignServiceDeps {
  letters: LetterRepo;
  signatures: SignatureRepo;
  now: () => Date;
  spikeGuard: SpikeGuard | null;
  isDisposableDomain: ((domain: string) => boolean) | null;
  /** Called after mail was queued, so the outbox worker sends it without waiting for its timer. */
  mailQueued: () => void;
}

export class SignService {
  constructor(private readonly deps: SignServiceDeps) {}

  /** Finds a letter the public may see (published or closed); drafts do not exist for them. */
  async publicLetter(slug: string): Promise<LetterWithCollective> {
    const letter = await this.deps.letters.findBySlug(slug);
    if (!letter || letter.status === 'draft') throw new NotFound('There is no open letter at this address.');
    return letter;
  }

  /**
   * Signs a letter. Resolves the same way whether the address is new, pending or already
   * counted, so the response never reveals who has signed.
   */
  async sign(slug: string, fields: SignatureFields, meta: { ip: string | null }): Promise<LetterWithCollective> {
    const letter = await this.publicLetter(slug);
    const now = this.deps.now();
    if (!isSignable(letter, now)) throw new LetterClosed();
    if (this.deps.isDisposableDomain?.(fields.emailDomain)) {
      throw new ValidationFailed({
        email: 'Please use a permanent email address; disposable addresses cannot confirm a signature for long.',
      });
    }
    const holdForSpike = this.deps.spikeGuard?.check(letter.id, sourceKeys(meta.ip, fields.emailDomain), now.getTime()) ?? false;
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
      holdForSpike,
    };
    await this.deps.signatures.createPendingSignature(input, letter, now);
    this.deps.mailQueued();
    return letter;
  }

  /** Sends a new link for a signature whose link expired. Quietly does nothing when not allowed. */
  async resend(token: string): Promise<LetterWithCollective | null> {
    const now = this.deps.now();
    const found = await this.deps.signatures.lookupToken(token, 'verify', now);
    if (found.state === 'unknown') return null;
    const sig = found.signature;
    const letter = await this.letterById(sig.letterId);
    if (!letter || !isSignable(letter, now)) return letter ?? null;
    if (await this.deps.signatures.resendVerification(sig.id, letter, now)) {
      this.deps.mailQueued();
    }
    return letter;
  }

  private letterById(id: number): Promise<LetterWithCollective | undefined> {
    return this.deps.letters.findById(id);
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
}
