// The token in an update's unsubscribe link: the signature's id and an HMAC over it, so no row
// per mail is stored and a link cannot be made for anyone else's signature. The key is derived
// from SESSION_SECRET for this one use: no other signed value of the site can pass as a token.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SHAPE = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{43})$/;

export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('undersigned:unsubscribe-key').digest();
  }

  tokenFor(signatureId: number): string {
    return `${signatureId}.${this.mac(signatureId)}`;
  }

  /** The signature a token names, or null when it is malformed or forged. */
  signatureOf(token: string): number | null {
    const match = SHAPE.exec(token);
    if (!match) return null;
    const id = Number(match[1]);
    if (!Number.isSafeInteger(id)) return null;
    const expected = Buffer.from(this.mac(id));
    const given = Buffer.from(match[2] ?? '');
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
  }

  private mac(signatureId: number): string {
    return createHmac('sha256', this.key).update(`unsubscribe:${signatureId}`).digest('base64url');
  }
}
