// RFC 6962 trees against the test vectors of transparency-dev/merkle: leaf, node and root hashes
// of its reference tree, its compact ranges, and every inclusion and consistency probe it ships
// (test/fixtures/merkle-vectors.json), plus proofs we build checked by our own verifier.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  appendLeaf,
  completeSubtrees,
  consistencyRanges,
  EMPTY_ROOT,
  type Frontier,
  frontierLength,
  frontierRoot,
  inclusionRanges,
  type LeafRange,
  leafHash,
  nodeHash,
  rangeHash,
  rootOf,
  type Subtree,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/merkle.js';
import { seededRandom } from '../helpers/signers.js';

const hex = (h: string) => Buffer.from(h, 'hex');
const b64 = (h: string) => Buffer.from(h, 'base64');

// transparency-dev/merkle testonly/constants.go: LeafInputs, NodeHashes, RootHashes.
const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  ['d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
].map((level) => level.map(hex));
const ROOT_HASHES = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);
// CompactTrees: the frontier of each tree size, as indices into NODE_HASHES.
const FRONTIERS: Array<Array<[number, number]>> = [
  [],
  [[0, 0]],
  [[1, 0]],
  [
    [1, 0],
    [0, 2],
  ],
  [[2, 0]],
  [
    [2, 0],
    [0, 4],
  ],
  [
    [2, 0],
    [1, 2],
  ],
  [
    [2, 0],
    [1, 2],
    [0, 6],
  ],
  [[3, 0]],
];

interface InclusionProbe {
  case: string;
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[];
  wantErr: boolean;
}
interface ConsistencyProbe {
  case: string;
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[];
  wantErr: boolean;
}
const VECTORS = JSON.parse(readFileSync(new URL('../fixtures/merkle-vectors.json', import.meta.url), 'utf8')) as {
  inclusion: InclusionProbe[];
  consistency: ConsistencyProbe[];
};

/** A proof built from a list of leaf hashes: each range's hash computed from its complete subtrees. */
function proofOf(ranges: LeafRange[], leaves: Buffer[]): Buffer[] {
  const subtree = ({ height, index }: Subtree) => rootOf(leaves.slice(index * 2 ** height, (index + 1) * 2 ** height));
  return ranges.map((range) => rangeHash(range, subtree));
}

const LEAVES = LEAF_INPUTS.map(leafHash);

describe('hashes of the reference tree', () => {
  it('hashes every leaf and node as RFC 6962 says', () => {
    expect(LEAVES).toEqual(NODE_HASHES[0]);
    for (let level = 1; level < NODE_HASHES.length; level++) {
      const below = NODE_HASHES[level - 1] as Buffer[];
      const expected = NODE_HASHES[level] as Buffer[];
      for (const [i, hash] of expected.entries()) expect(nodeHash(below[2 * i] as Buffer, below[2 * i + 1] as Buffer)).toEqual(hash);
    }
  });

  it.each(ROOT_HASHES.map((root, size) => [size, root] as const))('has the root of the first %i leaves', (size, root) => {
    expect(rootOf(LEAVES.slice(0, size))).toEqual(root);
  });

  it('roots the empty tree at SHA-256 of nothing', () => {
    expect(EMPTY_ROOT).toEqual(ROOT_HASHES[0]);
    expect(frontierRoot([])).toEqual(EMPTY_ROOT);
  });

  it('keeps the compact range of every size, and reports each subtree it completes', () => {
    const frontier: Frontier = [];
    const completed: Array<[number, number, Buffer]> = [];
    LEAVES.forEach((leaf, size) => {
      expect(frontier).toEqual((FRONTIERS[size] ?? []).map(([level, i]) => NODE_HASHES[level]?.[i]));
      appendLeaf(frontier, size, leaf, (s, hash) => completed.push([s.height, s.index, hash]));
      expect(frontier.length).toBe(frontierLength(size + 1));
      expect(frontierRoot(frontier)).toEqual(ROOT_HASHES[size + 1]);
    });
    // Every node of the reference tree, once each.
    expect(completed.length).toBe(15);
    for (const [height, index, hash] of completed) expect(hash).toEqual(NODE_HASHES[height]?.[index]);
  });
});

describe('transparency-dev inclusion probes', () => {
  it.each(VECTORS.inclusion.map((p) => [p.case, p] as const))('%s', (_, p) => {
    const ok = verifyInclusion(p.leafIdx, p.treeSize, b64(p.leafHash), p.proof.map(b64), b64(p.root));
    expect(ok).toBe(!p.wantErr);
  });

  it('builds the same proofs as the happy paths', () => {
    for (const p of VECTORS.inclusion.filter((v) => v.case.endsWith('happy-path') && v.treeSize <= 8)) {
      const proof = proofOf(inclusionRanges(p.leafIdx, p.treeSize), LEAVES.slice(0, p.treeSize));
      expect(proof.map((h) => h.toString('base64'))).toEqual(p.proof);
    }
  });
});

describe('transparency-dev consistency probes', () => {
  it.each(VECTORS.consistency.map((p) => [p.case, p] as const))('%s', (_, p) => {
    const ok = verifyConsistency(p.size1, p.size2, b64(p.root1), b64(p.root2), p.proof.map(b64));
    expect(ok).toBe(!p.wantErr);
  });

  it('builds the same proofs as the happy paths', () => {
    for (const p of VECTORS.consistency.filter((v) => v.case.endsWith('happy-path'))) {
      const proof = proofOf(consistencyRanges(p.size1, p.size2), LEAVES.slice(0, p.size2));
      expect(proof.map((h) => h.toString('base64'))).toEqual(p.proof);
    }
  });
});

describe('proofs of larger trees', () => {
  const random = seededRandom(6962);
  const leaves = Array.from({ length: 700 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

  it('prove every leaf of trees of many sizes, and nothing else', () => {
    for (const size of [1, 2, 3, 255, 256, 257, 511, 512, 513, 700]) {
      const root = rootOf(leaves.slice(0, size));
      for (let k = 0; k < 20; k++) {
        const index = Math.floor(random() * size);
        const proof = proofOf(inclusionRanges(index, size), leaves);
        expect(verifyInclusion(index, size, leaves[index] as Buffer, proof, root)).toBe(true);
        expect(verifyInclusion(index, size, leaves[(index + 1) % 700] as Buffer, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaves[index] as Buffer, proof, root)).toBe(false);
      }
    }
  });

  it('prove every older tree a prefix of a newer one', () => {
    for (let k = 0; k < 200; k++) {
      const size = 1 + Math.floor(random() * 700);
      const oldSize = 1 + Math.floor(random() * size);
      const proof = proofOf(consistencyRanges(oldSize, size), leaves);
      const [oldRoot, root] = [rootOf(leaves.slice(0, oldSize)), rootOf(leaves.slice(0, size))];
      expect(verifyConsistency(oldSize, size, oldRoot, root, proof)).toBe(true);
      const rewritten = [...leaves.slice(0, size)];
      rewritten[Math.floor(random() * oldSize)] = leafHash(Buffer.from('rewritten'));
      expect(verifyConsistency(oldSize, size, oldRoot, rootOf(rewritten), proof)).toBe(false);
    }
  });

  it('splits a proof range into aligned complete subtrees', () => {
    expect(completeSubtrees([0, 8])).toEqual([{ height: 3, index: 0 }]);
    expect(completeSubtrees([8, 13])).toEqual([
      { height: 2, index: 2 },
      { height: 0, index: 12 },
    ]);
    expect(completeSubtrees([256, 700])).toEqual([
      { height: 8, index: 1 },
      { height: 7, index: 4 },
      { height: 5, index: 20 },
      { height: 4, index: 42 },
      { height: 3, index: 86 },
      { height: 2, index: 174 },
    ]);
  });
});
