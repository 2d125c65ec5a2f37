import type { Wechaty } from "wechaty";
import type { ApiClient, ClaimedMessage } from "./api-client.js";
import type { BotConfig } from "./config.js";
import { Heartbeat } from "./heartbeat.js";
import { OutboxLoop, type SendOutcome } from "./outbox.js";

export interface RunningBot {
  /** the bot of the current run (a new one after each restart) */
  current(): Wechaty | null;
  /** stops claiming, lets the message in hand finish, reports logged out and stops the puppet */
  stop(): Promise<void>;
}

/** The wait before restart `attempt` (0, 1, …): doubling from the base up to the cap, with up to 20 % jitter. */
export function restartDelay(config: Pick<BotConfig, "restartBaseMs" | "restartMaxMs">, attempt: number, random = Math.random): number {
  const plain = Math.min(config.restartMaxMs, config.restartBaseMs * 2 ** Math.min(attempt, 30));
  return Math.round(plain * (0.8 + 0.2 * random()));
}

/**
 * Runs the bot for good: heartbeat, outbox delivery while logged in, and a restart with exponential
 * backoff after a logout, a failed start, or an error that left a logged-in puppet logged out. A
 * restart builds a fresh Wechaty from `create`; nothing the bot needs lives in it (dialogs are on the server).
 */
export async function runBot(config: BotConfig, api: ApiClient, create: () => Wechaty, hooks: { onSettled?: (m: ClaimedMessage, result: string) => void } = {}): Promise<RunningBot> {
  let bot: Wechaty | null = null;
  let attempt = 0;
  let stopping = false;
  let pending: NodeJS.Timeout | null = null;
  let sessionUp = false; // the current bot has logged in since its start
  const loggedIn = () => Boolean(bot?.isLoggedIn);
  const heartbeat = new Heartbeat(api, () => (loggedIn() ? { loggedIn: true, userName: bot!.currentUser.name().slice(0, 64) } : { loggedIn: false }), config.heartbeatMs);
  const outbox = new OutboxLoop({ api, loggedIn, pollMs: config.outboxPollMs, send: (contactId, text) => sendToContact(bot!, contactId, text), onSettled: hooks.onSettled });

  function restart(of: Wechaty, reason: string) {
    if (stopping || of !== bot) return;
    bot = null;
    const delay = restartDelay(config, attempt++);
    console.error(`bot restarting in ${(delay / 1000).toFixed(1)} s: ${reason}`);
    void heartbeat.beat();
    void of.stop().catch(() => undefined);
    pending = setTimeout(() => void launch(), delay);
  }

  async function launch() {
    pending = null;
    if (stopping) return;
    const b = create();
    bot = b;
    sessionUp = false;
    b.on("login", () => {
      sessionUp = true;
      attempt = 0;
      void heartbeat.beat();
    });
    b.on("logout", () => restart(b, "logged out"));
    // Wechaty marks no error as fatal; one that leaves a logged-in puppet logged out is treated as a crash
    b.on("error", (err) => {
      setTimeout(() => sessionUp && !b.isLoggedIn && restart(b, `puppet error: ${err.message}`), 1000);
    });
    try {
      await b.start();
    } catch (err) {
      restart(b, `start failed: ${(err as Error).message}`);
    }
  }

  // a session lost without a logout event still ends in a restart
  const watchdog = setInterval(() => {
    const b = bot;
    if (b && sessionUp && !b.isLoggedIn) restart(b, "session lost");
  }, config.heartbeatMs);

  await launch();
  heartbeat.start();
  outbox.start();
  return {
    current: () => bot,
    async stop() {
      stopping = true;
      if (pending) clearTimeout(pending);
      clearInterval(watchdog);
      await outbox.stop();
      heartbeat.stop();
      const b = bot;
      bot = null;
      await heartbeat.beat();
      await b?.stop().catch(() => undefined);
    },
  };
}

/** Sends an outbox message to a contact (never a room); refused when the contact is unknown or no longer a friend. */
export async function sendToContact(bot: Wechaty, contactId: string, text: string): Promise<SendOutcome> {
  const contact = await bot.Contact.find({ id: contactId });
  if (!contact || contact.friend() === false) return "refused";
  await contact.say(text);
  return "sent";
}

/** Stops the bot cleanly on Ctrl-C or a service manager's SIGTERM (a kill -9 loses at most the message in hand, see OutboxLoop). */
export function stopOnSignals(running: RunningBot): void {
  const stop = () => void running.stop().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
