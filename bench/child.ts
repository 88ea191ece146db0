// The benchmark's own helper processes (the bare server and the SMTP sink), run with tsx and
// driven over IPC: each reports { type: 'ready', port } and answers { id, cmd } requests. The app
// under test is not one of them: it runs as production does (app-process.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchRequest {
  id: number;
  cmd: string;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<number | null>;
  private stderr = '';

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    process.on('message', (message: Reply) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
  }

  /** Forks `bench/<script>` and waits (bounded) for it to say it is ready. */
  static async start(
    name: string,
    script: string,
    options: { env?: Record<string, string>; execArgv?: string[]; args?: string[]; readyTimeoutMs?: number } = {},
  ): Promise<Child> {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), options.args ?? [], {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${options.readyTimeoutMs ?? 60_000} ms\n${stderr}`));
      }, options.readyTimeoutMs ?? 60_000);
      child.on('message', (message: { type?: string; port?: number }) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.port ?? 0);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it was ready\n${stderr}`));
      });
    });
    const wrapped = new Child(name, child, port);
    child.stderr?.on('data', (d) => {
      wrapped.stderr += d;
      if (wrapped.stderr.length > 20_000) wrapped.stderr = wrapped.stderr.slice(-20_000);
    });
    return wrapped;
  }

  /** One IPC request, answered within `timeoutMs`. */
  request<T>(cmd: string, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, cmd } satisfies BenchRequest);
    });
  }

  errors(): string {
    return this.stderr;
  }

  /** Asks the child to finish (it closes on disconnect), then kills it if it lingers. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
