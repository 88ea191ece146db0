// `create-organizer`: an account (or a fresh sign-in link for an existing one), optionally made a
// member of a collective, with a one-time link to choose a password.
import { z } from 'zod';
import { ROLES } from '../../db/vocabulary.js';
import { isSlug } from '../../domain/slug.js';
import { issueMessage, line } from '../../organizers/form.js';
import { type Command, cliArgs, UsageError, withServices } from '../command.js';

const USAGE =
  'Usage: npm run cli -- create-organizer --email E --name N [--collective SLUG] [--collective-name NAME] [--role owner|editor|moderator]';

const input = z.object({
  email: z
    .string()
    .trim()
    .pipe(z.email({ error: 'must be an email address' })),
  name: line(120, { required: true }),
  collective: z.string().refine(isSlug, 'must be lower-case letters, digits and single hyphens (at most 100)').optional(),
  'collective-name': line(120).optional(),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).default('owner'),
});

export const createOrganizerCommand: Command = {
  summary: '--email E --name N [--collective SLUG] [--role R]  account with a one-time sign-in link',
  async run(args, cli) {
    const { values } = cliArgs(args, {
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        collective: { type: 'string' },
        'collective-name': { type: 'string' },
        role: { type: 'string' },
      },
    });
    if (!values.email || !values.name) throw new UsageError(USAGE);
    const parsed = input.safeParse(values);
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${issueMessage(i)}`).join('\n'));
    }
    const v = parsed.data;
    const collective = v.collective ? { slug: v.collective, name: v['collective-name'] } : null;
    const { url, created, expiresAt } = await withServices(cli, (services) =>
      services.organizers.auth.createOrganizer({ email: v.email, name: v.name, collective, role: v.role }),
    );
    const membership = collective ? ` as ${v.role} of "${collective.slug}"` : ' (no collective yet)';
    cli.stdout.write(`${created ? 'Created' : 'Updated'} organizer ${v.email.toLowerCase()}${membership}.\n`);
    cli.stdout.write(`One-time sign-in link, valid until ${expiresAt.toISOString()}:\n${url}\n`);
    // The link is only as right as the environment: say where its address came from when it is a guess.
    if (!cli.env.PUBLIC_URL) {
      cli.stderr.write(
        `PUBLIC_URL is not set, so the link uses ${new URL(url).origin} (HOST and PORT), as the server does. If people reach the site at another address, run this with the server's PUBLIC_URL.\n`,
      );
    }
    return 0;
  },
};
