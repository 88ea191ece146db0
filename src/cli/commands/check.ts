// `check [--repair]`: recompute every counter from the signatures table and report drift.
import { type Command, cliArgs, withServices } from '../command.js';

export const checkCommand: Command = {
  summary: '[--repair]  recompute counters from signatures; exit 1 on drift (--repair fixes it)',
  async run(args, cli) {
    const { values } = cliArgs(args, { options: { repair: { type: 'boolean', default: false } } });
    return withServices(cli, async ({ counters }) => {
      const drift = await counters.check();
      for (const d of drift) {
        cli.stdout.write(`${d.slug}\t${d.counter}${d.key ? ` ${d.key}` : ''}\tstored ${d.stored}\tactual ${d.actual}\n`);
      }
      if (drift.length === 0) {
        cli.stdout.write('All counters match the signatures table.\n');
        return 0;
      }
      if (!values.repair) {
        cli.stdout.write(`${drift.length} counter(s) drifted. Run with --repair to fix them.\n`);
        return 1;
      }
      const repaired = await counters.repair();
      cli.stdout.write(`Repaired ${repaired.length} counter(s); the repair is in the audit log.\n`);
      return (await counters.check()).some((d) => d.counter !== 'events') ? 1 : 0;
    });
  },
};
