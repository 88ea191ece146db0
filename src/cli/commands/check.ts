// `check [--repair]`: recompute every counter from the signatures table and report drift.
import { findDrift, repairCounters } from '../../signatures/counter-check.js';
import { type Command, cliArgs, openForCli } from '../command.js';

export const checkCommand: Command = {
  summary: '[--repair]  recompute counters from signatures; exit 1 on drift (--repair fixes it)',
  async run(args) {
    const { values } = cliArgs(args, { options: { repair: { type: 'boolean', default: false } } });
    const { db } = openForCli();
    try {
      const drift = findDrift(db);
      for (const d of drift) {
        process.stdout.write(`${d.slug}\t${d.counter}${d.key ? ` ${d.key}` : ''}\tstored ${d.stored}\tactual ${d.actual}\n`);
      }
      if (drift.length === 0) {
        process.stdout.write('All counters match the signatures table.\n');
        return 0;
      }
      if (!values.repair) {
        process.stdout.write(`${drift.length} counter(s) drifted. Run with --repair to fix them.\n`);
        return 1;
      }
      const repaired = repairCounters(db, new Date());
      process.stdout.write(`Repaired ${repaired.length} counter(s); the repair is in the audit log.\n`);
      return findDrift(db).some((d) => d.counter !== 'events') ? 1 : 0;
    } finally {
      db.$client.close();
    }
  },
};
