// C2SP signed notes with Ed25519 (signature type 0x01), as Go's golang.org/x/mod/sumdb/note
// writes and reads them: text ending in a newline, a blank line, then lines
// `— <key name> base64(4-byte key id ‖ signature)`. Keys travel as strings: the verifier key
// `<name>+<hex id>+base64(0x01 ‖ public key)` and the private key
// `PRIVATE+KEY+<name>+<hex id>+base64(0x01 ‖ seed)`. Pure apart from node:crypto.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { hasLoneSurrogate } from './text.js';

const ED25519 = 0x01;
const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
// DER wrappings of a raw Ed25519 seed and public key (RFC 8410), which node:crypto imports.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

export interface VerifierKey {
  name: string;
  /** The key id: the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian. */
  id: number;
  publicKey: Buffer;
}

export interface SigningKey extends VerifierKey {
  privateKey: KeyObject;
}

/** Key names: non-empty, no Unicode space and no plus. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

export function keyId(name: string, publicKey: Uint8Array): number {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

const hex32 = (id: number) => id.toString(16).padStart(8, '0');
const typed = (key: Uint8Array) => Buffer.concat([Buffer.from([ED25519]), key]).toString('base64');

export function verifierKeyText(key: VerifierKey): string {
  return `${key.name}+${hex32(key.id)}+${typed(key.publicKey)}`;
}

function fromSeed(name: string, seed: Buffer): SigningKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  return { name, id: keyId(name, publicKey), publicKey, privateKey };
}

/** A new private key string for `name`, as Go's note.GenerateKey writes it. */
export function generateSigningKey(name: string): string {
  if (!isKeyName(name)) throw new NoteError(`"${name}" cannot be a key name (no spaces or +)`);
  const seed = randomBytes(KEY_BYTES);
  return `PRIVATE+KEY+${name}+${hex32(fromSeed(name, seed).id)}+${typed(seed)}`;
}

/** The private key string back as a key, or a NoteError saying what is wrong with it. */
export function parseSigningKey(text: string): SigningKey {
  const parts = splitKey(text.trim(), 5);
  if (parts?.[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new NoteError('expected PRIVATE+KEY+<name>+<hex id>+<base64 key>');
  const [, , name = '', idText = '', material = ''] = parts;
  const bytes = decodeKeyMaterial(material);
  if (!isKeyName(name)) throw new NoteError('the key name is empty or has a space');
  const key = fromSeed(name, bytes);
  if (!/^[0-9a-f]{8}$/.test(idText) || Number.parseInt(idText, 16) !== key.id) throw new NoteError('the key id does not match the key');
  return key;
}

/** A verifier key string as a key, or a NoteError. */
export function parseVerifierKey(text: string): VerifierKey {
  const parts = splitKey(text.trim(), 3);
  if (!parts) throw new NoteError('expected <name>+<hex id>+<base64 key>');
  const [name = '', idText = '', material = ''] = parts;
  const publicKey = decodeKeyMaterial(material);
  if (!isKeyName(name)) throw new NoteError('the key name is empty or has a space');
  const id = keyId(name, publicKey);
  if (!/^[0-9a-f]{8}$/.test(idText) || Number.parseInt(idText, 16) !== id) throw new NoteError('the key id does not match the key');
  return { name, id, publicKey };
}

/** Splits at the first n - 1 plus signs: the key material is base64, which has its own. */
function splitKey(text: string, n: number): string[] | null {
  const parts = text.split('+');
  if (parts.length < n) return null;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join('+')];
}

function decodeKeyMaterial(material: string): Buffer {
  const bytes = Buffer.from(material, 'base64');
  if (bytes.toString('base64') !== material || bytes.length !== 1 + KEY_BYTES) throw new NoteError('the key is not 33 bytes of base64');
  if (bytes[0] !== ED25519) throw new NoteError('only Ed25519 keys (type 0x01) are supported');
  return bytes.subarray(1);
}

// ---- notes ------------------------------------------------------------------------------------

/** Note text: ends with a newline, and has no control character other than newlines. */
export function isNoteText(text: string): boolean {
  return text.endsWith('\n') && !/[\u0000-\u0009\u000b-\u001f]/.test(text) && !hasLoneSurrogate(text);
}

/** The text followed by its signature line. */
export function signNote(text: string, key: SigningKey): string {
  if (!isNoteText(text)) throw new NoteError('note text must end with a newline and hold no control characters');
  const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(key.id);
  return `${text}\n— ${key.name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/**
 * The text of a note signed by `key`, or a NoteError: signatures by other keys are ignored (as
 * the spec says), one by this key must verify, and there must be one.
 */
export function openNote(note: string, key: VerifierKey): string {
  if (!note.endsWith('\n')) throw new NoteError('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('no signature block (a blank line before the signatures)');
  const text = note.slice(0, split + 1);
  if (!isNoteText(text)) throw new NoteError('the note text holds control characters');
  const lines = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of lines) {
    const match = /^— (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
    if (!match) throw new NoteError(`not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, name, encoded = ''] = match;
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length < 5) throw new NoteError('a signature too short to hold a key id');
    if (name !== key.name || bytes.readUInt32BE(0) !== key.id) continue;
    const signature = bytes.subarray(4);
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, key.publicKey]), format: 'der', type: 'spki' });
    if (signature.length !== SIGNATURE_BYTES || !verify(null, Buffer.from(text, 'utf8'), publicKey, signature)) {
      throw new NoteError(`the signature by ${key.name} does not verify`);
    }
    verified = true;
  }
  if (!verified) throw new NoteError(`not signed by ${key.name}+${hex32(key.id)}`);
  return text;
}
