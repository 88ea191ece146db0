// `check [--repair]`: recompute every counter from the signatures table, compare each letter's
// public log with it, and report drift.
import { type Command, cliArgs, withServices } from '../command.js';

export const checkCommand: Command = {
  summary: '[--repair]  recompute counters from signatures and check the public logs; exit 1 on drift (--repair fixes counters)',
  async run(args, cli) {
    const { values } = cliArgs(args, { options: { repair: { type: 'boolean', default: false } } });
    return withServices(cli, async ({ counters }) => {
      const drift = await counters.check();
      for (const d of drift) {
        cli.stdout.write(`${d.slug}\t${d.counter}${d.key ? ` ${d.key}` : ''}\tstored ${d.stored}\tactual ${d.actual}\n`);
      }
      if (drift.length === 0) {
        cli.stdout.write('All counters match the signatures table, and every public log replays to its count.\n');
        return 0;
      }
      const repairable = drift.filter((d) => d.counter !== 'log');
      if (repairable.length < drift.length) {
        cli.stdout.write(
          'A public log disagrees with the signatures table. Logs are append-only: nothing rewrites them; find out what changed the database.\n',
        );
      }
      if (!values.repair || repairable.length === 0) {
        if (repairable.length > 0) cli.stdout.write(`${repairable.length} counter(s) drifted. Run with --repair to fix them.\n`);
        return 1;
      }
      const repaired = await counters.repair();
      cli.stdout.write(`Repaired ${repaired.length} counter(s); the repair is in the audit log.\n`);
      // The event log and the public log are append-only: a repair rewrites counters, never them.
      return (await counters.check()).some((d) => d.counter !== 'events') ? 1 : 0;
    });
  },
};
