// Runs a CLI command in this process, as `npm run cli -- …` would, against a given database:
// the same code path, without starting a Node.js process per call. runCliProcess starts the
// real entry point, for the tests of the command line itself.
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli as run } from '../../src/cli/run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENV = { LOG_LEVEL: 'silent', NODE_ENV: 'test' };

/** A stream that keeps what is written to it (the CSV export pipes into stdout). */
function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

export async function runCli(args: string[], env: Record<string, string>) {
  const stdout = collector();
  const stderr = collector();
  const code = await run(args, { env: { ...process.env, ...ENV, ...env }, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export function runCliProcess(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...ENV, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
