// `send-update SLUG FILE.md --subject "…"`: sends an update to a letter's signers, for scripts:
// the same service call as the organizers' Send button (recipients fixed now, the mail queued
// and sent by the running site's background job and outbox workers), audited, no prompt.
import { issueMessage } from '../../organizers/form.js';
import { toDraft, updateDraftSchema } from '../../updates/update-form.js';
import { type Command, cliArgs, readTextFile, UsageError, withServices } from '../command.js';

const USAGE = 'Usage: npm run cli -- send-update SLUG FILE.md --subject "…" [--signers-only]';

export const sendUpdateCommand: Command = {
  summary: 'SLUG FILE.md --subject "…" [--signers-only]  send an update (Markdown) to the letter’s signers',
  async run(args, cli) {
    const { values, positionals } = cliArgs(args, {
      options: { subject: { type: 'string' }, 'signers-only': { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    const [slug, path, ...rest] = positionals;
    if (!slug || !path || rest.length > 0 || values.subject === undefined) throw new UsageError(USAGE);
    const body = readTextFile(path, cli);
    if (body === null) return 1;
    const form = updateDraftSchema.safeParse({ subject: values.subject, body, signers_only: values['signers-only'] });
    if (!form.success) {
      for (const issue of form.error.issues) cli.stderr.write(`${String(issue.path[0] ?? 'update')}: ${issueMessage(issue)}\n`);
      return 1;
    }
    const update = await withServices(cli, (services) => services.updates.sendNew(slug, toDraft(form.data)));
    const who = update.recipientTotal === 1 ? 'recipient' : 'recipients';
    cli.stdout.write(`Sending update #${update.id} "${update.subject}" to ${update.recipientTotal ?? 0} ${who} of "${slug}".\n`);
    cli.stdout.write(`The running site sends it; progress: /organize/letters/${update.letterId}/updates/${update.id}\n`);
    return 0;
  },
};
