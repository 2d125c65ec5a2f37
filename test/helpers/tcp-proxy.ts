import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy in front of the database server, so a test can take the database away the ways it goes
 * away in production: `down()` refuses new connections and cuts open ones, `blackhole()` accepts
 * connections but never answers, `up()` brings it back on the same port.
 */
export class TcpProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private mode: "up" | "blackhole" = "up";
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async up(): Promise<this> {
    // connections that hung in the blackhole are cut, as a network that comes back resets them
    if (this.mode === "blackhole") for (const socket of this.sockets) socket.destroy();
    this.mode = "up";
    if (this.server) return this;
    const server = createServer((client) => {
      this.sockets.add(client);
      client.on("close", () => this.sockets.delete(client));
      client.on("error", () => client.destroy());
      if (this.mode === "blackhole") return; // accept, then say nothing
      const upstream = connect(this.targetPort, this.targetHost);
      this.sockets.add(upstream);
      upstream.on("close", () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Refuses new connections (ECONNREFUSED) and cuts the open ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Cuts the open connections and lets new ones hang without an answer. */
  blackhole(): void {
    this.mode = "blackhole";
    for (const socket of this.sockets) socket.destroy();
  }

  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }
}
