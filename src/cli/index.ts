// `npm run cli -- <command> [args]`: operator commands, each in its own module under commands/.
import { ConfigError } from '../config.js';
import { type Command, UsageError } from './command.js';
import { backupCommand } from './commands/backup.js';
import { checkCommand } from './commands/check.js';
import { createOrganizerCommand } from './commands/create-organizer.js';
import { exportCommand } from './commands/export.js';
import { importLetterCommand } from './commands/import-letter.js';
import { approveCommand, heldCommand, rejectCommand } from './commands/moderation.js';

const COMMANDS: Record<string, Command> = {
  'import-letter': importLetterCommand,
  held: heldCommand,
  approve: approveCommand,
  reject: rejectCommand,
  check: checkCommand,
  backup: backupCommand,
  'create-organizer': createOrganizerCommand,
  export: exportCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const list = Object.entries(COMMANDS)
      .map(([n, c]) => `  ${n.padEnd(18)} ${c.summary}`)
      .join('\n');
    process.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}Usage: npm run cli -- <command> [options]\n\nCommands:\n${list}\n`);
    return name ? 2 : 0;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`Error: ${message}\n`);
    process.exitCode = 1;
  },
);
