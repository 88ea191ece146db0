// Tile coordinates and paths (C2SP tlog-tiles), and entry bundles.
import { describe, expect, it } from 'vitest';
import {
  encodeTileIndex,
  entryBundle,
  parseEntryBundle,
  parseTilePath,
  storedHashesOf,
  storedLevel,
  type TileRef,
  tileHashRange,
  tilePath,
  tileWidthAt,
} from '../../src/domain/log-tiles.js';

describe('tile paths', () => {
  it.each([
    [0, '000'],
    [5, '005'],
    [999, '999'],
    [1000, 'x001/000'],
    [1234067, 'x001/x234/067'],
    [2 ** 40, 'x001/x099/x511/x627/776'],
  ])('write index %i as %s', (index, path) => {
    expect(encodeTileIndex(index)).toBe(path);
  });

  const tiles: Array<[string, TileRef]> = [
    ['0/000', { kind: 'hashes', level: 0, index: 0, width: 256 }],
    ['1/x001/x234/067', { kind: 'hashes', level: 1, index: 1234067, width: 256 }],
    ['0/005.p/17', { kind: 'hashes', level: 0, index: 5, width: 17 }],
    ['63/000.p/1', { kind: 'hashes', level: 63, index: 0, width: 1 }],
    ['entries/000', { kind: 'entries', index: 0, width: 256 }],
    ['entries/x002/001.p/255', { kind: 'entries', index: 2001, width: 255 }],
  ];
  it.each(tiles)('read and write %s', (path, tile) => {
    expect(parseTilePath(path)).toEqual(tile);
    expect(tilePath(tile)).toBe(path);
  });

  it.each([
    '',
    '0',
    '0/5',
    '0/0005',
    '00/000',
    '64/000',
    '-1/000',
    '0/x000/005',
    '0/001/002',
    '0/x001',
    '0/000.p/0',
    '0/000.p/256',
    '0/000.p/017',
    '0/000.p/',
    '0/000.p',
    'entries/000/',
    'entry/000',
    '0/x001/x002/x003/x004/x005/006',
    '0/000?x',
    '0/０００',
  ])('refuse %j', (path) => {
    expect(parseTilePath(path)).toBeNull();
  });
});

describe('tile widths', () => {
  // The spec's example: a tree of 70,000 entries.
  it('cut a tree of 70,000 into 273 full level-0 tiles and the partial ones the spec lists', () => {
    const size = 70_000;
    expect(tileWidthAt(0, 272, size)).toBe(256);
    expect(tileWidthAt(0, 273, size)).toBe(112);
    expect(tileWidthAt(0, 274, size)).toBe(0);
    expect(tileWidthAt(1, 0, size)).toBe(256);
    expect(tileWidthAt(1, 1, size)).toBe(17);
    expect(tileWidthAt(2, 0, size)).toBe(1);
    expect(tileWidthAt(3, 0, size)).toBe(0);
  });

  it('a tree of 256 is one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tileWidthAt(0, 0, 256)).toBe(256);
    expect(tileWidthAt(1, 0, 256)).toBe(1);
    expect(tileWidthAt(0, 1, 256)).toBe(0);
  });

  it('find the stored hashes of a tile and of any complete subtree', () => {
    expect(tileHashRange({ kind: 'hashes', level: 1, index: 2, width: 17 })).toEqual({ level: 1, start: 512, count: 17 });
    expect(tileHashRange({ kind: 'entries', index: 3, width: 256 })).toEqual({ level: 0, start: 768, count: 256 });
    expect(storedHashesOf({ height: 0, index: 9 })).toEqual({ level: 0, start: 9, count: 1 });
    expect(storedHashesOf({ height: 3, index: 2 })).toEqual({ level: 0, start: 16, count: 8 });
    expect(storedHashesOf({ height: 8, index: 5 })).toEqual({ level: 1, start: 5, count: 1 });
    expect(storedHashesOf({ height: 15, index: 1 })).toEqual({ level: 1, start: 128, count: 128 });
    expect(storedLevel({ height: 16, index: 0 })).toBe(2);
    expect(storedLevel({ height: 9, index: 0 })).toBeNull();
  });
});

describe('entry bundles', () => {
  it('prefix each entry with its length, big-endian', () => {
    const bundle = entryBundle([Buffer.from('ab'), Buffer.alloc(0), Buffer.alloc(300, 1)]);
    expect(bundle.subarray(0, 4)).toEqual(Buffer.from([0, 2, 0x61, 0x62]));
    expect(bundle.subarray(4, 8)).toEqual(Buffer.from([0, 0, 1, 0x2c]));
    expect(bundle.length).toBe(2 + 2 + 2 + 2 + 300);
    expect(parseEntryBundle(bundle)?.map((e) => e.length)).toEqual([2, 0, 300]);
  });

  it('refuse a truncated bundle and an entry too long to prefix', () => {
    expect(parseEntryBundle(Buffer.from([0, 5, 1, 2]))).toBeNull();
    expect(parseEntryBundle(Buffer.from([0]))).toBeNull();
    expect(() => entryBundle([Buffer.alloc(70_000)])).toThrow(RangeError);
  });
});
