// The moderation queue from the command line: list held signatures, approve or reject one. The
// decisions go through the same service as the web's, so they are audited the same way.
import type { ModerationAction } from '../../organizers/moderation-service.js';
import { type Command, UsageError, withServices } from '../command.js';

/** The CLI lists the oldest held signatures, a screenful at a time in practice. */
const HELD_LISTED = 1000;

export const heldCommand: Command = {
  summary: 'SLUG  list signatures held for review on a letter',
  async run([slug], cli) {
    if (!slug) throw new UsageError('Usage: npm run cli -- held SLUG');
    const held = await withServices(cli, (services) => services.organizers.moderation.heldBySlug(slug, HELD_LISTED));
    if (!held) {
      cli.stderr.write(`No letter with slug "${slug}".\n`);
      return 1;
    }
    if (held.items.length === 0) {
      cli.stdout.write(`Nothing held on "${slug}".\n`);
      return 0;
    }
    for (const s of held.items) {
      const matched = s.matched ? ` matches #${s.matched.id} "${s.matched.name}" (${s.matched.status})` : '';
      const notable = s.matchedNotableId ? ` matches notable entry #${s.matchedNotableId}` : '';
      cli.stdout.write(`#${s.id}\t${s.name}\t${s.holdReason ?? ''}${matched}${notable}\n`);
    }
    if (held.total > held.items.length) {
      cli.stdout.write(`… and ${held.total - held.items.length} more (oldest first; decide on these to see the rest).\n`);
    }
    return 0;
  },
};

function decisionCommand(action: ModerationAction, verb: string): Command {
  return {
    summary: `ID  ${verb} a signature (counters change in the same transaction; audited)`,
    async run([raw], cli) {
      const id = Number(raw);
      if (!raw || !Number.isSafeInteger(id) || id <= 0) throw new UsageError(`Usage: npm run cli -- ${action} ID`);
      const result = await withServices(cli, (services) => services.organizers.moderation.decideById(id, action));
      if (!result) {
        cli.stderr.write(`No signature #${id}.\n`);
        return 1;
      }
      cli.stdout.write(`#${id}: ${result.before.status} → ${result.after.status}\n`);
      return 0;
    },
  };
}

export const approveCommand = decisionCommand('approve', 'approve');
export const rejectCommand = decisionCommand('reject', 'reject as a duplicate:');
