import type { ApiClient } from "./api-client.js";

/** Reports the login state every `intervalMs` (the server counts the bot offline 90 s after the last beat) and on demand. */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly state: () => { loggedIn: boolean; userName?: string },
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One beat now; failures are logged, never thrown (the next beat tries again). */
  async beat(): Promise<void> {
    try {
      await this.api.heartbeat(this.state());
    } catch (err) {
      console.error("heartbeat failed:", (err as Error).message);
    }
  }
}
