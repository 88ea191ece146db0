// The export phase, in a process of its own so its memory is measured alone: streams a letter's
// signatures as CSV through the organizers' export code (src/organizers/csv-export.ts) to
// /dev/null, counting rows and sampling RSS.
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/db/open-store.js';
import { signaturesCsv } from '../src/organizers/csv-export.js';

const [databaseUrl, letterIdArg] = process.argv.slice(2);
if (!databaseUrl || !letterIdArg) throw new Error('usage: export-child.ts DATABASE_URL LETTER_ID');
const store = await openStore(loadConfig({ ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), { migrate: false });

let rows = -1; // the header line is not a row
let bytes = 0;
const count = new Transform({
  transform(chunk: Buffer | string, _encoding, callback) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    bytes += Buffer.byteLength(text);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
    callback(null, chunk);
  },
});

global.gc?.();
const rssBefore = process.memoryUsage().rss;
let rssMax = rssBefore;
const sampler = setInterval(() => {
  rssMax = Math.max(rssMax, process.memoryUsage().rss);
}, 10);
const started = performance.now();
await pipeline(signaturesCsv(store, Number(letterIdArg), null), count, createWriteStream('/dev/null'));
const ms = performance.now() - started;
clearInterval(sampler);
rssMax = Math.max(rssMax, process.memoryUsage().rss);
process.send?.({ type: 'result', rows, bytes, ms, rssBefore, rssMax });
await store.close();
process.disconnect?.();
