#!/usr/bin/env node
// Verifies a letter's public signature log on an Undersigned site, with nothing but Node.js
// (20 or later): no dependencies, no access to the site's database, no email address seen.
//
//   node verify-log.mjs <letter URL> [--state FILE] [--receipt FILE] [--key VERIFIER_KEY]
//
// It fetches the letter's checkpoint (C2SP tlog-checkpoint) and checks its Ed25519 signature
// (C2SP signed-note) against the site's published key; fetches every entry bundle (C2SP
// tlog-tiles) and recomputes the RFC 6962 root; replays the entries into a count and compares it
// with the checkpoint and with the site's API; recomputes the root from the hash tiles too. With
// --state it checks the log still extends the one seen last time (a rewritten log fails) and
// saves the new state; with --receipt it checks a signer's receipt. Exit 0 when everything
// verifies, 1 when anything does not, 2 when it was called wrongly.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const TILE_WIDTH = 256;
const TILE_HEIGHT = 8;
const HASH_SIZE = 32;
/** Requests in flight at once: enough to hide latency, few enough to be polite. */
const PARALLEL = 8;
const TIMEOUT_MS = 30_000;
const COUNTING = new Set(['confirm', 'restore']);
const KINDS = new Set(['confirm', 'withdraw', 'remove', 'restore']);
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class VerifyError extends Error {}
const fail = (message) => {
  throw new VerifyError(message);
};

// ---- RFC 6962 -------------------------------------------------------------------------------------

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
export const leafHash = (entry) => sha256(LEAF, entry);
export const nodeHash = (left, right) => sha256(NODE, left, right);
export const EMPTY_ROOT = sha256();

/** Largest power of two strictly below n (n ≥ 2). */
function split(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A tree grown one leaf at a time, keeping only its frontier (one hash per bit of its size). */
export class Tree {
  size = 0;
  frontier = [];

  append(leaf) {
    let hash = leaf;
    for (let index = this.size; index % 2 === 1; index = (index - 1) / 2) hash = nodeHash(this.frontier.pop(), hash);
    this.frontier.push(hash);
    this.size++;
  }

  root() {
    if (this.frontier.length === 0) return EMPTY_ROOT;
    let root = this.frontier[this.frontier.length - 1];
    for (let i = this.frontier.length - 2; i >= 0; i--) root = nodeHash(this.frontier[i], root);
    return root;
  }
}

/** RFC 6962 PROOF(m, D[n]) as the ranges of leaves whose hashes it carries. */
export function consistencyRanges(m, n) {
  const proof = [];
  const walk = (m, lo, hi, whole) => {
    if (m === hi - lo) {
      if (!whole) proof.push([lo, hi]);
      return;
    }
    const k = split(hi - lo);
    if (m <= k) {
      walk(m, lo, lo + k, whole);
      proof.push([lo + k, hi]);
    } else {
      walk(m - k, lo + k, hi, false);
      proof.push([lo, lo + k]);
    }
  };
  if (m > 0 && m < n) walk(m, 0, n, true);
  return proof;
}

/** RFC 9162 §2.1.4.2. */
export function verifyConsistency(m, n, oldRoot, root, proof) {
  if (n < m || m <= 0) return false;
  if (m === n) return proof.length === 0 && oldRoot.equals(root);
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  const path = (m & (m - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(root);
}

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(index, size, leaf, proof, root) {
  if (!(index >= 0 && index < size) || leaf.length !== HASH_SIZE) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_SIZE) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// ---- signed notes and checkpoints ----------------------------------------------------------------

/** `<name>+<hex id>+<base64(0x01 ‖ Ed25519 key)>`, checked as C2SP signed-note says. */
export function parseVerifierKey(text) {
  const [name, idText, ...rest] = String(text).trim().split('+');
  const material = rest.join('+');
  const bytes = Buffer.from(material, 'base64');
  if (!name || /\s/u.test(name) || !/^[0-9a-f]{8}$/.test(idText ?? '') || bytes.length !== 33 || bytes[0] !== 1) {
    fail(`not an Ed25519 verifier key: ${text}`);
  }
  const publicKey = bytes.subarray(1);
  const id = sha256(Buffer.from(name), Buffer.from([0x0a, 0x01]), publicKey).readUInt32BE(0);
  if (id !== Number.parseInt(idText, 16)) fail(`the verifier key's id does not match its key: ${text}`);
  return { name, id, key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }) };
}

/** The text of a note signed by `key` (signatures by other keys are ignored, as the spec says). */
export function openNote(note, key) {
  if (!note.endsWith('\n')) fail('the checkpoint does not end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('the checkpoint has no signature');
  const text = note.slice(0, split + 1);
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) fail('the checkpoint holds control characters');
  let verified = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = /^— (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
    if (!match) fail(`not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const bytes = Buffer.from(match[2], 'base64');
    if (match[1] !== key.name || bytes.length < 4 || bytes.readUInt32BE(0) !== key.id) continue;
    if (bytes.length !== 68 || !verify(null, Buffer.from(text, 'utf8'), key.key, bytes.subarray(4))) {
      fail(`the checkpoint's signature by ${key.name} does not verify`);
    }
    verified = true;
  }
  if (!verified) fail(`the checkpoint is not signed by ${key.name}`);
  return text;
}

/** Origin, size, root and `count N`, each in its one canonical form. */
export function parseCheckpoint(text) {
  const lines = text.split('\n');
  const [origin, sizeText, rootText, countLine] = lines;
  const root = Buffer.from(rootText ?? '', 'base64');
  const count = /^count (0|[1-9]\d*)$/.exec(countLine ?? '');
  if (
    lines.length !== 5 ||
    !origin ||
    !/^(0|[1-9]\d*)$/.test(sizeText ?? '') ||
    root.length !== HASH_SIZE ||
    root.toString('base64') !== rootText ||
    !count
  ) {
    fail(`not a checkpoint of this kind of log:\n${text}`);
  }
  return { origin, size: Number(sizeText), root, count: Number(count[1]) };
}

// ---- entries ------------------------------------------------------------------------------------

/** An entry's fields, checked to be exactly the bytes the log's format writes. */
export function parseEntry(bytes, index) {
  const text = bytes.toString('utf8');
  let e;
  try {
    e = JSON.parse(text);
  } catch {
    fail(`entry ${index} is not JSON`);
  }
  const counting = COUNTING.has(e?.kind);
  const canonical = JSON.stringify(
    counting ? { kind: e.kind, sig: e.sig, at: e.at, version: e.version, commit: e.commit } : { kind: e?.kind, sig: e?.sig, at: e?.at },
  );
  if (
    !KINDS.has(e?.kind) ||
    !/^[A-Za-z0-9_-]{22}$/.test(e.sig) ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/.test(e.at) ||
    (counting && (!Number.isInteger(e.version) || typeof e.commit !== 'string')) ||
    canonical !== text
  ) {
    fail(`entry ${index} is not a well-formed log entry: ${text.slice(0, 200)}`);
  }
  return e;
}

/** base64(SHA-256(salt ‖ UTF-8 of JSON.stringify([name, title, organisation, country]))). */
export function commitment(saltBase64, fields) {
  const text = JSON.stringify([fields.name ?? '', fields.title ?? '', fields.organisation ?? '', fields.country ?? '']);
  return sha256(Buffer.from(saltBase64, 'base64'), Buffer.from(text, 'utf8')).toString('base64');
}

function parseBundle(bytes, expected, first) {
  const entries = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 2 > bytes.length) fail(`entry bundle from ${first} is truncated`);
    const length = bytes.readUInt16BE(at);
    if (at + 2 + length > bytes.length) fail(`entry bundle from ${first} is truncated`);
    entries.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (entries.length !== expected) fail(`entry bundle from ${first} holds ${entries.length} entries, not ${expected}`);
  return entries;
}

export function tileIndexPath(n) {
  const groups = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

const tilePath = (level, n, width) => `${level}/${tileIndexPath(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;

// ---- fetching -----------------------------------------------------------------------------------

async function fetchOk(url, as) {
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: as === 'json' ? 'application/json' : '*/*' } });
  } catch (error) {
    fail(`could not fetch ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!res.ok) fail(`${url} answered ${res.status}`);
  if (as === 'json') return res.json();
  if (as === 'text') return res.text();
  return Buffer.from(await res.arrayBuffer());
}

/** `fetchOne(i)` for i in [0, n) in order, each started PARALLEL ahead of the one handed out. */
function* ahead(n, fetchOne) {
  const started = [];
  for (let i = 0; i < n; i++) {
    while (started.length < Math.min(n, i + PARALLEL)) {
      const promise = fetchOne(started.length);
      // Handled when its turn comes; until then a failure must not count as unhandled.
      promise.catch(() => {});
      started.push(promise);
    }
    yield started[i];
    started[i] = null;
  }
}

/** Hash tiles, fetched as needed for a tree of `size` and kept. */
class Tiles {
  constructor(prefix, size) {
    this.prefix = prefix;
    this.size = size;
    this.kept = new Map();
  }

  async hashes(level, start, count) {
    const n = Math.floor(start / TILE_WIDTH);
    const width = Math.min(TILE_WIDTH, Math.floor(this.size / TILE_WIDTH ** level) - n * TILE_WIDTH);
    const path = tilePath(level, n, width);
    let tile = this.kept.get(path);
    if (!tile) {
      tile = await fetchOk(`${this.prefix}/tile/${path}`, 'bytes');
      if (tile.length !== width * HASH_SIZE) fail(`tile ${path} holds ${tile.length} bytes, not ${width * HASH_SIZE}`);
      this.kept.set(path, tile);
    }
    const from = start - n * TILE_WIDTH;
    if (from + count > width) fail(`tile ${path} is too narrow for hashes ${start}–${start + count - 1}`);
    return Array.from({ length: count }, (_, i) => tile.subarray((from + i) * HASH_SIZE, (from + i + 1) * HASH_SIZE));
  }

  /** MTH of leaves [lo, hi) (a node of the tree), from the stored hashes of its complete subtrees. */
  async rangeHash(lo, hi) {
    const size = hi - lo;
    if ((size & (size - 1)) === 0 && lo % size === 0) {
      const height = Math.log2(size);
      const level = Math.floor(height / TILE_HEIGHT);
      const count = 2 ** (height - level * TILE_HEIGHT);
      let row = await this.hashes(level, (lo / size) * count, count);
      while (row.length > 1) row = Array.from({ length: row.length / 2 }, (_, i) => nodeHash(row[2 * i], row[2 * i + 1]));
      return row[0];
    }
    const middle = lo + split(size);
    return nodeHash(await this.rangeHash(lo, middle), await this.rangeHash(middle, hi));
  }
}

// ---- the check ----------------------------------------------------------------------------------

const number = (n) => n.toLocaleString('en-GB');
const short = (hash) => `${hash.toString('base64').slice(0, 12)}…`;

/** Where the letter's API and log are, from its page address (https://site/letters/slug). */
export function letterAddresses(letterUrl) {
  let url;
  try {
    url = new URL(letterUrl);
  } catch {
    fail(`not a URL: ${letterUrl}`);
  }
  const match = /^\/letters\/([^/?#]+)\/?$/.exec(url.pathname);
  if (!match) fail(`not a letter's address (…/letters/<slug>): ${letterUrl}`);
  const base = `${url.origin}`;
  return { base, slug: match[1], letter: `${base}/letters/${match[1]}`, log: `${base}/letters/${match[1]}/log` };
}

/** Checks the log of the letter at `letterUrl`; returns the lines of its summary, or throws VerifyError. */
export async function verifyLog(letterUrl, options = {}) {
  const say = [];
  const where = letterAddresses(letterUrl);
  const letter = await fetchOk(`${where.base}/api/v1/letters/${where.slug}`, 'json');
  const published = letter.log;
  if (!published?.verifier_key || !published.origin) fail('the letter has no public log in its API answer');
  const state = options.state && existsSync(options.state) ? JSON.parse(readFileSync(options.state, 'utf8')) : null;
  // The key to trust: given, or saved by an earlier run, or (first run) the one the site publishes.
  const trusted = options.key ?? state?.verifier_key ?? published.verifier_key;
  if (trusted !== published.verifier_key) fail(`the site now publishes the key ${published.verifier_key}, not ${trusted}`);
  const key = parseVerifierKey(trusted);

  const note = await fetchOk(published.checkpoint_url ?? `${where.log}/checkpoint`, 'text');
  const checkpoint = parseCheckpoint(openNote(note, key));
  if (checkpoint.origin !== published.origin) fail(`the checkpoint is for ${checkpoint.origin}, not ${published.origin}`);
  say.push(`Letter:     ${where.letter}`);
  say.push(
    `Log:        ${checkpoint.origin}, signed by ${trusted}${options.key || state ? '' : ' (as the site publishes it: compare it with the key in its README or on /api)'}`,
  );
  say.push(`Checkpoint: ${number(checkpoint.size)} entries, root ${short(checkpoint.root)}, signature valid`);

  // Every entry, in bundles: their hashes must make the checkpoint's root, and replaying them its count.
  const bundles = Math.ceil(checkpoint.size / TILE_WIDTH);
  const tree = new Tree();
  const latest = new Map();
  let count = 0;
  const bundleAt = async (n) => {
    const width = Math.min(TILE_WIDTH, checkpoint.size - n * TILE_WIDTH);
    const path = `${tileIndexPath(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
    return parseBundle(await fetchOk(`${where.log}/tile/entries/${path}`, 'bytes'), width, n * TILE_WIDTH);
  };
  // Fetched a few ahead, hashed in order: memory holds a window of bundles, not the whole log.
  for (const bundle of ahead(bundles, bundleAt)) {
    for (const bytes of await bundle) {
      const entry = parseEntry(bytes, tree.size);
      tree.append(leafHash(bytes));
      count += Number(COUNTING.has(entry.kind)) - Number(COUNTING.has(latest.get(entry.sig)));
      latest.set(entry.sig, entry.kind);
    }
  }
  const root = tree.root();
  if (!root.equals(checkpoint.root))
    fail(`the entries hash to ${root.toString('base64')}, not to the checkpoint's root ${checkpoint.root.toString('base64')}`);
  say.push(`Entries:    all ${number(checkpoint.size)} fetched; they hash to the checkpoint's root`);
  if (count !== checkpoint.count) fail(`replaying the entries gives ${count} signatures, but the checkpoint says ${checkpoint.count}`);

  // The hash tiles other clients read must say the same.
  const tiles = new Tiles(where.log, checkpoint.size);
  if (checkpoint.size > 0 && !(await tiles.rangeHash(0, checkpoint.size)).equals(checkpoint.root))
    fail("the hash tiles do not make the checkpoint's root");

  const counted = await fetchOk(`${where.base}/api/v1/letters/${where.slug}/count`, 'json');
  const api = counted.checkpoint;
  if (api?.size === checkpoint.size) {
    if (api.count !== count) fail(`the API says the log counts ${api.count} at this checkpoint; replaying it gives ${count}`);
    say.push(`Count:      replaying the log gives ${number(count)} signatures, as its checkpoint and the site's API say`);
  } else {
    say.push(
      `Count:      replaying the log gives ${number(count)} signatures, as its checkpoint says (the log grew to ${number(api?.size ?? 0)} entries meanwhile)`,
    );
  }
  say.push(`Live count: the site counts ${number(counted.signature_count)} now (new entries reach the log within seconds)`);

  // History: the log must extend the checkpoint seen last time.
  if (state) {
    if (state.origin !== checkpoint.origin) fail(`the saved state is for ${state.origin}, not ${checkpoint.origin}`);
    const oldRoot = Buffer.from(state.root, 'base64');
    if (state.size > checkpoint.size) fail(`the log shrank: ${state.size} entries on ${state.checked_at}, ${checkpoint.size} now`);
    if (state.size > 0) {
      const ranges = consistencyRanges(state.size, checkpoint.size);
      const proof = [];
      for (const [lo, hi] of ranges) proof.push(await tiles.rangeHash(lo, hi));
      if (!verifyConsistency(state.size, checkpoint.size, oldRoot, checkpoint.root, proof)) {
        fail(`the log was rewritten: it no longer extends the checkpoint of ${number(state.size)} entries seen on ${state.checked_at}`);
      }
    }
    say.push(`History:    extends the checkpoint of ${number(state.size)} entries seen on ${state.checked_at}: nothing before it changed`);
  }

  if (options.receipt) say.push(...(await checkReceipt(options.receipt, { checkpoint, key, trusted, tiles, latest })));

  if (options.state) {
    const saved = {
      origin: checkpoint.origin,
      verifier_key: trusted,
      size: checkpoint.size,
      root: checkpoint.root.toString('base64'),
      count,
      checked_at: new Date().toISOString(),
    };
    writeFileSync(`${options.state}.tmp`, `${JSON.stringify(saved, null, 2)}\n`);
    renameSync(`${options.state}.tmp`, options.state);
    say.push(`State:      saved to ${options.state} for the next run`);
  }
  return { lines: say, checkpoint, count };
}

async function checkReceipt(file, { checkpoint, key, trusted, tiles, latest }) {
  const receipt = JSON.parse(readFileSync(file, 'utf8'));
  if (receipt.verifier_key !== trusted) fail(`the receipt names the key ${receipt.verifier_key}, not ${trusted}`);
  const then = parseCheckpoint(openNote(receipt.checkpoint, key));
  if (then.origin !== checkpoint.origin) fail(`the receipt is for ${then.origin}, not ${checkpoint.origin}`);
  const bytes = Buffer.from(receipt.entry, 'utf8');
  const entry = parseEntry(bytes, receipt.index);
  if (entry.sig !== receipt.sig || !COUNTING.has(entry.kind)) fail("the receipt's entry is not a confirmation of its signature");
  if (entry.commit !== commitment(receipt.salt, receipt.fields ?? {}))
    fail("the receipt's salt and fields do not make its entry's commitment");
  const proof = (receipt.inclusion_proof ?? []).map((h) => Buffer.from(h, 'base64'));
  if (!verifyInclusion(receipt.index, then.size, leafHash(bytes), proof, then.root)) fail("the receipt's inclusion proof does not hold");
  if (then.size > checkpoint.size) fail("the receipt's checkpoint is newer than the log: the log shrank");
  // The receipt's checkpoint must be part of today's log, and the entry still in its place.
  const ranges = consistencyRanges(then.size, checkpoint.size);
  const consistency = [];
  for (const [lo, hi] of ranges) consistency.push(await tiles.rangeHash(lo, hi));
  if (!verifyConsistency(then.size, checkpoint.size, then.root, checkpoint.root, consistency))
    fail('the log was rewritten since the receipt was issued');
  const [stored] = await tiles.hashes(0, receipt.index, 1);
  if (!stored.equals(leafHash(bytes))) fail(`entry ${receipt.index} of the log is not the receipt's`);
  const still = COUNTING.has(latest.get(receipt.sig));
  return [
    `Receipt:    entry ${number(receipt.index)} confirms ${receipt.fields?.name ? `"${receipt.fields.name}"` : 'its signature'}: the salt opens its commitment, it was in the log at ${number(then.size)} entries and still is`,
    `            the signature ${still ? 'counts' : 'no longer counts (a later entry withdrew or removed it)'}`,
  ];
}

// ---- the command ----------------------------------------------------------------------------------

const USAGE = 'Usage: node verify-log.mjs <letter URL> [--state FILE] [--receipt FILE] [--key VERIFIER_KEY]';

export async function main(argv, out = process.stdout, err = process.stderr) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { state: { type: 'string' }, receipt: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    err.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help || parsed.positionals.length !== 1) {
    (parsed.values.help ? out : err).write(`${USAGE}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const started = Date.now();
  try {
    const { lines } = await verifyLog(parsed.positionals[0], parsed.values);
    out.write(`${lines.join('\n')}\nOK: the log verifies (${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof VerifyError)) throw error;
    err.write(`FAILED: ${error.message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
