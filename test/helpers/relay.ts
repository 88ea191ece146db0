// A TCP relay to a server (PostgreSQL, Redis) that can be cut and restored on the same port, as a
// network failure or a restart would: the app connects to the relay instead of the server.
import { createServer, type Server, Socket } from 'node:net';

export class Relay {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;
  private readonly target: URL;

  /** `url`: where the server answers (its host and port are used, e.g. postgres://… or redis://…). */
  constructor(
    url: string,
    private readonly defaultPort = 5432,
  ) {
    this.target = new URL(url);
  }

  /** Listens on `port` (0: a free one, kept for restarts). */
  async start(port = this.port): Promise<void> {
    const server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(this.target.port || this.defaultPort), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = null;
  }
}
