import { ApiError, type ApiClient, type ClaimedMessage } from "./api-client.js";

/** How one message went: sent, or refused when the contact cannot be reached this way (not found, not a friend). Throwing means failed. */
export type SendOutcome = "sent" | "refused";
export type Sender = (contactId: string, text: string) => Promise<SendOutcome>;

export interface OutboxLoopOptions {
  api: ApiClient;
  send: Sender;
  /** claims only while this says the bot is logged in */
  loggedIn: () => boolean;
  /** wait after a claim that handed out nothing, ms */
  pollMs: number;
  /** after each settled message, e.g. to log or to print it in tests */
  onSettled?: (message: ClaimedMessage, result: "sent" | "failed" | "refused") => void;
  /** wait between ack retries, ms (tests); 1 s, 2 s, 4 s by default */
  ackRetryMs?: number;
}

const ACK_RETRIES = 3;

/**
 * Delivers the bot's outbox. It claims ONE message at a time and acks it right after the send, so a
 * kill -9 can repeat at most the one message between its send and its ack (the server hands an
 * un-acked message out again when its lease runs out) and never loses one. The pacing is the
 * server's: a claim hands out nothing until the account's next send time, and the loop never sends
 * more than it was handed.
 */
export class OutboxLoop {
  private running = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly o: OutboxLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  /** Stops claiming; resolves once the message in hand (if any) is sent and acked. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.done;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(timer); this.wake = null; resolve(); };
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!this.o.loggedIn()) {
        await this.sleep(this.o.pollMs);
        continue;
      }
      let batch: ClaimedMessage[];
      try {
        batch = await this.o.api.claimOutbox(1);
        failures = 0;
      } catch (err) {
        failures++;
        console.error("outbox claim failed:", (err as Error).message);
        await this.sleep(Math.min(this.o.pollMs * 2 ** failures, 60_000));
        continue;
      }
      if (batch.length === 0) {
        await this.sleep(this.o.pollMs);
        continue;
      }
      for (const message of batch) await this.deliver(message);
    }
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    let result: "sent" | "failed" | "refused";
    let error: string | undefined;
    try {
      result = await this.o.send(message.contactId, message.text);
      if (result === "refused") error = "联系人不存在或已不是好友";
    } catch (err) {
      result = "failed";
      error = (err as Error).message.slice(0, 400);
    }
    await this.ack(message, result, error);
    this.o.onSettled?.(message, result);
  }

  /**
   * Acks with a few quick retries: an ack lost to a network blip would make the message go out again
   * when its lease ends. A 4xx is final (409: the lease was lost, the server already re-handed it).
   */
  private async ack(message: ClaimedMessage, result: "sent" | "failed" | "refused", error: string | undefined): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.api.ackOutbox(message.id, { leaseToken: message.leaseToken, result, ...(error ? { error } : {}) });
      } catch (err) {
        const final = err instanceof ApiError && err.status < 500;
        if (final || attempt >= ACK_RETRIES) {
          if (!(err instanceof ApiError && err.status === 409)) console.error(`outbox ack of ${message.id} failed:`, (err as Error).message);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.o.ackRetryMs ?? 1000 * 2 ** attempt));
      }
    }
  }
}
