// What a CLI command is, and the one way commands reach the app: the same composition root as
// the site (services.ts), opened with the same configuration. A command parses its arguments
// and makes one service call; it never touches the database itself.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config.js';
import { createServices, type Services } from '../services.js';

export interface Output {
  write(text: string): unknown;
}

/** Where a command reads its configuration and writes its answers (a process, or a test). */
export interface Cli {
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
}

export interface Command {
  summary: string;
  run(args: string[], cli: Cli): Promise<number>;
}

export class UsageError extends Error {}

/** Runs work with the app's services, and closes them (the database, the mail transport) after. */
export async function withServices<T>(cli: Cli, work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig(cli.env);
  // Logs go to stderr, so stdout carries only the answer (a CSV, say).
  const log = pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2));
  const services = await createServices(config, { log });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

/** A file's text, or null after saying on stderr why it cannot be read. */
export function readTextFile(path: string, cli: Cli): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    cli.stderr.write(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return null;
  }
}

/** parseArgs with errors turned into one readable line. */
export function cliArgs<T extends Parameters<typeof parseArgs>[0]>(args: string[], options: T) {
  try {
    return parseArgs({ ...options, args, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
