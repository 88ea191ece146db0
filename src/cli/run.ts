// The command line's table of commands, and running one: in a process (index.ts) or in a test.
import { ConfigError } from '../config.js';
import { type Cli, type Command, UsageError } from './command.js';
import { backupCommand } from './commands/backup.js';
import { checkCommand } from './commands/check.js';
import { copyStoreCommand } from './commands/copy-store.js';
import { createOrganizerCommand } from './commands/create-organizer.js';
import { eraseSignerCommand } from './commands/erase-signer.js';
import { exportCommand } from './commands/export.js';
import { importLetterCommand } from './commands/import-letter.js';
import { logKeyCommand } from './commands/log-key.js';
import { approveCommand, heldCommand, rejectCommand } from './commands/moderation.js';
import { sendUpdateCommand } from './commands/send-update.js';

const COMMANDS: Record<string, Command> = {
  'import-letter': importLetterCommand,
  held: heldCommand,
  approve: approveCommand,
  reject: rejectCommand,
  check: checkCommand,
  backup: backupCommand,
  'create-organizer': createOrganizerCommand,
  export: exportCommand,
  'erase-signer': eraseSignerCommand,
  'log-key': logKeyCommand,
  'copy-store': copyStoreCommand,
  'send-update': sendUpdateCommand,
};

/** Runs one command; resolves with its exit code (0 done, 1 failed, 2 misused). */
export async function runCli(argv: string[], cli: Cli): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const list = Object.entries(COMMANDS)
      .map(([n, c]) => `  ${n.padEnd(18)} ${c.summary}`)
      .join('\n');
    cli.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}Usage: npm run cli -- <command> [options]\n\nCommands:\n${list}\n`);
    return name ? 2 : 0;
  }
  try {
    return await command.run(args, cli);
  } catch (error) {
    if (error instanceof UsageError) {
      cli.stderr.write(`${error.message}\n`);
      return 2;
    }
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    cli.stderr.write(`Error: ${message}\n`);
    return 1;
  }
}
