// The app under test as production runs it: `node dist/main.js` (what `npm run build` writes),
// configured only by its environment, with its own cluster supervisor when WORKERS > 1. The
// benchmark reaches it only as the outside world does: over HTTP, by signals, and by what it
// leaves behind (memory and CPU time in /proc, mail at the SMTP sink, rows in the database).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type TreeUsage, treeUsage } from './proc.js';

export const ENTRY_POINT = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface AppStart {
  /** The app's whole environment (nothing is inherited but PATH). */
  env: Record<string, string>;
  /** Options for node itself, before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Answered with 200 once the app serves. */
  readyPath: string;
  readyTimeoutMs?: number;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
}

export class AppProcess {
  private output = '';
  private readonly exit: Promise<AppExit>;
  private stoppedAt = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, seconds: this.stoppedAt ? (Date.now() - this.stoppedAt) / 1000 : 0 })),
    );
    // A benchmark that dies must not leave a server behind (a signal to the group reaches it anyway).
    process.once('exit', () => this.kill());
  }

  /** Starts the entry point and waits (bounded) until it answers HTTP. */
  static async start(options: AppStart): Promise<AppProcess> {
    if (!existsSync(ENTRY_POINT)) throw new Error(`${ENTRY_POINT} is missing: run \`npm run build\` first`);
    const { PORT, HOST } = options.env;
    if (!PORT || !HOST) throw new Error('the app needs PORT and HOST');
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ENTRY_POINT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, `http://${HOST}:${PORT}`);
    await app.waitUntilServing(options.readyPath, options.readyTimeoutMs ?? 60_000);
    return app;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Memory and CPU time of the primary and every worker it forked. */
  usage(): TreeUsage {
    return treeUsage(this.pid);
  }

  /** The end of what the app wrote to stdout and stderr. */
  log(): string {
    return this.output;
  }

  private running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async waitUntilServing(path: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running())
        throw new Error(`the app exited (${this.child.exitCode ?? this.child.signalCode}) before serving:\n${this.output}`);
      try {
        const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      // Polling an HTTP port that is not open yet: there is no event to wait for from outside.
      await new Promise((r) => setTimeout(r, 100));
    }
    this.kill();
    throw new Error(`the app did not serve ${path} within ${timeoutMs} ms (${last}):\n${this.output}`);
  }

  /** SIGTERM, as a service manager stops it; waits (bounded) for it to exit, then kills it. */
  async stop(timeoutMs = 30_000): Promise<AppExit> {
    if (this.running()) {
      this.stoppedAt = Date.now();
      this.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL to the primary and its workers (they would only notice the primary's death later). */
  private kill(): void {
    if (!this.running()) return;
    for (const { pid } of this.usage().processes.reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
