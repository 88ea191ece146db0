// The moderation queue from the command line: list held signatures, approve or reject one.
import type { ModerationAction } from '../../signatures/signature-repo.js';
import { type Command, openStores } from '../command.js';

/** The CLI lists the oldest held signatures, a screenful at a time in practice. */
const HELD_LISTED = 1000;

export const heldCommand: Command = {
  summary: 'SLUG  list signatures held for review on a letter',
  async run([slug]) {
    if (!slug) {
      process.stderr.write('Usage: npm run cli -- held SLUG\n');
      return 2;
    }
    const stores = openStores();
    try {
      const letter = await stores.letters.findBySlug(slug);
      if (!letter) {
        process.stderr.write(`No letter with slug "${slug}".\n`);
        return 1;
      }
      const counts = await stores.admin.heldCounts(letter.id);
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const held = await stores.admin.held(letter.id, { limit: HELD_LISTED });
      if (held.length === 0) {
        process.stdout.write(`Nothing held on "${slug}".\n`);
        return 0;
      }
      for (const s of held) {
        const matched = s.matched ? ` matches #${s.matched.id} "${s.matched.name}" (${s.matched.status})` : '';
        const notable = s.matchedNotableId ? ` matches notable entry #${s.matchedNotableId}` : '';
        process.stdout.write(`#${s.id}\t${s.name}\t${s.holdReason ?? ''}${matched}${notable}\n`);
      }
      if (total > held.length) process.stdout.write(`… and ${total - held.length} more (oldest first; decide on these to see the rest).\n`);
      return 0;
    } finally {
      await stores.close();
    }
  },
};

function decisionCommand(action: ModerationAction, verb: string): Command {
  return {
    summary: `ID  ${verb} a signature (counters change in the same transaction)`,
    async run([raw]) {
      const id = Number(raw);
      if (!raw || !Number.isSafeInteger(id) || id <= 0) {
        process.stderr.write(`Usage: npm run cli -- ${action} ID\n`);
        return 2;
      }
      const stores = openStores();
      try {
        const signature = await stores.admin.findById(id);
        if (!signature) {
          process.stderr.write(`No signature #${id}.\n`);
          return 1;
        }
        const letter = await stores.letters.findById(signature.letterId);
        const audit = stores.db.$client.prepare(
          'INSERT INTO audit_log (collective_id, letter_id, action, target_type, target_id, before, after, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        );
        const now = new Date();
        // The decision and its audit entry commit together.
        const [result] = await stores.signatures.moderateMany(signature.letterId, [id], action, null, now, ([r]) => {
          if (r) {
            audit.run(
              letter?.collectiveId ?? null,
              signature.letterId,
              `signature.${action}`,
              'signature',
              id,
              JSON.stringify(r.before),
              JSON.stringify(r.after),
              now.getTime(),
            );
          }
        });
        if (!result) return 1;
        process.stdout.write(`#${id}: ${result.before.status} → ${result.after.status}\n`);
        return 0;
      } finally {
        await stores.close();
      }
    },
  };
}

export const approveCommand = decisionCommand('approve', 'approve');
export const rejectCommand = decisionCommand('reject', 'reject as a duplicate:');
