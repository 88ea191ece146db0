// Opaque keyset cursors for the press API. A cursor names the last row of a page, tagged with
// what it pages through and signed, so a forged or borrowed cursor is refused instead of read.
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 12;
const INTEGER = /^-?\d{1,16}$/;

export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so a cursor can never double as anything else signed with the secret.
    this.key = createHmac('sha256', secret).update('undersigned/api-cursor/v1').digest();
  }

  /** `scope` says what is paged ("letters", "signatures:42"); values are the keyset. */
  encode(scope: string, values: readonly number[]): string {
    const body = Buffer.from(`${scope}|${values.join('|')}`).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The keyset values, or null when the cursor is malformed, tampered with or for another scope. */
  decode(scope: string, cursor: string, arity: number): number[] | null {
    const [body, mac, ...rest] = cursor.split('.');
    if (!body || !mac || rest.length > 0) return null;
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(body))) return null;
    const parts = Buffer.from(body, 'base64url').toString('utf8').split('|');
    if (parts.shift() !== scope || parts.length !== arity) return null;
    const values = parts.map((p) => (INTEGER.test(p) ? Number(p) : Number.NaN));
    return values.every(Number.isSafeInteger) ? values : null;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
