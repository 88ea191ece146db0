// `npm run cli -- <command> [args]`: operator commands, each in its own module under commands/.
import { runCli } from './run.js';

runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
