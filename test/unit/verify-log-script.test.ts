// The standalone verifier (static/verify-log.mjs) carries its own copy of the log's rules, so that
// a newsroom can run it without this repository: the same vectors hold it to the specs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Verifier {
  Tree: new () => { size: number; append(leaf: Buffer): void; root(): Buffer };
  leafHash(entry: Buffer): Buffer;
  verifyInclusion(index: number, size: number, leaf: Buffer, proof: Buffer[], root: Buffer): boolean;
  verifyConsistency(m: number, n: number, oldRoot: Buffer, root: Buffer, proof: Buffer[]): boolean;
  parseVerifierKey(text: string): unknown;
  openNote(note: string, key: unknown): string;
  parseCheckpoint(text: string): { origin: string; size: number; root: Buffer; count: number };
  parseEntry(bytes: Buffer, index: number): { kind: string };
  commitment(salt: string, fields: Record<string, string>): string;
  tileIndexPath(n: number): string;
  letterAddresses(url: string): { base: string; slug: string; log: string };
}

const verifier = (await import('../../static/verify-log.mjs' as string)) as Verifier;
const VECTORS = JSON.parse(readFileSync(new URL('../fixtures/merkle-vectors.json', import.meta.url), 'utf8'));
const b64 = (s: string) => Buffer.from(s, 'base64');

describe('the standalone verifier', () => {
  it('passes every transparency-dev inclusion and consistency probe', () => {
    for (const p of VECTORS.inclusion) {
      const ok = verifier.verifyInclusion(p.leafIdx, p.treeSize, b64(p.leafHash), p.proof.map(b64), b64(p.root));
      expect(ok, p.case).toBe(!p.wantErr);
    }
    for (const p of VECTORS.consistency) {
      const ok = verifier.verifyConsistency(p.size1, p.size2, b64(p.root1), b64(p.root2), p.proof.map(b64));
      expect(ok, p.case).toBe(!p.wantErr);
    }
  });

  it('grows the reference tree to its roots', () => {
    const tree = new verifier.Tree();
    expect(tree.root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const input of ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']) {
      tree.append(verifier.leafHash(Buffer.from(input, 'hex')));
    }
    expect(tree.root().toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('opens the signed notes of the spec and of Go, and nothing else', () => {
    const spec = verifier.parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    const note =
      'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    expect(verifier.openNote(note, spec)).toBe('This is an example message.\n');
    expect(() => verifier.openNote(note.replace('example message', 'example massage'), spec)).toThrow(/does not verify/);
    const peter = verifier.parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    expect(() => verifier.openNote(note, peter)).toThrow(/not signed by PeterNeumann/);
    expect(() => verifier.parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/id/);
  });

  it('reads checkpoints, entries, commitments and tile paths as the site writes them', () => {
    expect(verifier.parseCheckpoint('o\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncount 2\n')).toMatchObject({
      origin: 'o',
      size: 3,
      count: 2,
    });
    expect(() => verifier.parseCheckpoint('o\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n')).toThrow();
    const entry = '{"kind":"confirm","sig":"AAAAAAAAAAAAAAAAAAAAAA","at":"2026-06-01T12:00Z","version":1,"commit":"x"}';
    expect(verifier.parseEntry(Buffer.from(entry), 0).kind).toBe('confirm');
    expect(() => verifier.parseEntry(Buffer.from(entry.replace('{"kind"', '{ "kind"')), 0)).toThrow(/well-formed/);
    const salt = Buffer.from([...Array(16).keys()]).toString('base64');
    expect(verifier.commitment(salt, { name: 'Zoë Ångström', title: 'Composer', country: 'SE' })).toBe(
      '+ujf0e3vri7Hb7D5qOnGWdkNbGjBKiwXlz1Wl3rQ0A8=',
    );
    expect(verifier.tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(verifier.letterAddresses('https://letters.example/letters/fair-pay/')).toMatchObject({
      base: 'https://letters.example',
      slug: 'fair-pay',
      log: 'https://letters.example/letters/fair-pay/log',
    });
  });
});
