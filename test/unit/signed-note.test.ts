// Signed notes against the examples of the C2SP spec and Go's golang.org/x/mod/sumdb/note tests,
// and checkpoints' note text.
import { describe, expect, it } from 'vitest';
import { checkpointText, parseCheckpoint } from '../../src/domain/checkpoint.js';
import { EMPTY_ROOT } from '../../src/domain/merkle.js';
import {
  generateSigningKey,
  keyId,
  openNote,
  parseSigningKey,
  parseVerifierKey,
  signNote,
  verifierKeyText,
} from '../../src/domain/signed-note.js';

// c2sp.org/signed-note, "Example".
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

// golang.org/x/mod/sumdb/note note_test.go.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('keys', () => {
  it('reads the spec’s and Go’s verifier keys', () => {
    const spec = parseVerifierKey(SPEC_VKEY);
    expect(spec.name).toBe('example.com/foo');
    expect(spec.id).toBe(0x530d903a);
    expect(verifierKeyText(spec)).toBe(SPEC_VKEY);
    expect(verifierKeyText(parseVerifierKey(PETER_VKEY))).toBe(PETER_VKEY);
  });

  it('derives the verifier key from Go’s private key', () => {
    const key = parseSigningKey(PETER_SKEY);
    expect(verifierKeyText(key)).toBe(PETER_VKEY);
    expect(keyId('PeterNeumann', key.publicKey)).toBe(0xc74f20a3);
  });

  it('refuses every mangling of a key, as Go does', () => {
    for (const text of [PETER_VKEY, PETER_SKEY]) {
      const parse = text.startsWith('PRIVATE') ? parseSigningKey : parseVerifierKey;
      for (let i = 0; i < text.length; i++) {
        const mangled = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) + 1) + text.slice(i + 1);
        expect(() => parse(mangled), mangled).toThrow();
        expect(() => parse(text.slice(0, i)), text.slice(0, i)).toThrow();
      }
    }
    expect(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toThrow(/33 bytes/);
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/Ed25519/);
  });

  it('generates keys in Go’s format that sign and verify', () => {
    const text = generateSigningKey('undersigned.example');
    expect(text).toMatch(/^PRIVATE\+KEY\+undersigned\.example\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const key = parseSigningKey(text);
    expect(openNote(signNote('hello\n', key), parseVerifierKey(verifierKeyText(key)))).toBe('hello\n');
    expect(() => generateSigningKey('has space')).toThrow();
    expect(() => generateSigningKey('a+b')).toThrow();
  });
});

describe('notes', () => {
  it('opens the spec’s example', () => {
    expect(openNote(SPEC_NOTE, parseVerifierKey(SPEC_VKEY))).toBe('This is an example message.\n');
  });

  it('signs exactly as Go does (Ed25519 is deterministic)', () => {
    expect(signNote(TEXT, parseSigningKey(PETER_SKEY))).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('ignores signatures by other keys, and needs one by the key it trusts', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    expect(openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, peter)).toBe(TEXT);
    expect(openNote(`${TEXT}\n${ENOCH_SIG}${PETER_SIG}`, enoch)).toBe(TEXT);
    expect(() => openNote(`${TEXT}\n${ENOCH_SIG}`, peter)).toThrow(/not signed by PeterNeumann/);
  });

  it('refuses a note whose text or signature was changed', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(() => openNote(`${TEXT.replace('answer', 'answers')}\n${PETER_SIG}`, peter)).toThrow(/does not verify/);
    expect(() => openNote(`${TEXT}\n${PETER_SIG.replace('x08go', 'x08gp')}`, peter)).toThrow();
    expect(() => openNote(`${TEXT}${PETER_SIG}`, peter)).toThrow(/signature/);
    expect(() => openNote(`${TEXT}\n${PETER_SIG}`.trimEnd(), peter)).toThrow(/newline/);
    expect(() => openNote(`bell\u0007\n\n${PETER_SIG}`, peter)).toThrow(/control/);
  });

  it('refuses to sign text that is not a note’s', () => {
    const key = parseSigningKey(PETER_SKEY);
    expect(() => signNote('no newline', key)).toThrow();
    expect(() => signNote('tab\there\n', key)).toThrow();
  });
});

describe('checkpoints', () => {
  const root = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64');

  it('write origin, size, root and the replayed count, and read them back', () => {
    const text = checkpointText({ origin: 'undersigned.example/letters/fair-pay', size: 20852163, root, count: 11204 });
    expect(text).toBe('undersigned.example/letters/fair-pay\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncount 11204\n');
    expect(parseCheckpoint(text)).toEqual({ origin: 'undersigned.example/letters/fair-pay', size: 20852163, root, count: 11204 });
  });

  it('write the empty tree as size 0 and SHA-256 of nothing', () => {
    expect(checkpointText({ origin: 'o', size: 0, root: EMPTY_ROOT, count: 0 })).toBe(
      'o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ncount 0\n',
    );
  });

  it.each([
    ['a leading zero', 'o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncount 1\n'],
    ['a short root', 'o\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\ncount 1\n'],
    ['no count', 'o\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a negative count', 'o\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncount -1\n'],
    ['no origin', '\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncount 1\n'],
    ['a line too many', 'o\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncount 1\nmore\n'],
  ])('refuse %s', (_, text) => {
    expect(parseCheckpoint(text)).toBeNull();
  });
});
