import { describe, expect, it } from "vitest";
import type { Wechaty } from "wechaty";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { loadBotConfig } from "../../bot/config.js";
import { buildBot } from "../../bot/main.js";
import { runBot } from "../../bot/service.js";
import { fakeApi } from "./fake-api.js";

const config = loadBotConfig({ BOT_RESTART_BASE_MS: "200", BOT_RESTART_MAX_MS: "1000", BOT_OUTBOX_POLL_MS: "50", BOT_HEARTBEAT_MS: "1000" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (check: () => boolean, timeoutMs = 10_000) => {
  for (const start = Date.now(); !check(); await sleep(10)) if (Date.now() - start > timeoutMs) throw new Error("timed out");
};

describe("the bot process: heartbeat, claims only while logged in, restart with backoff", () => {
  it("beats at login and logout, claims only while logged in, and after a logout starts a fresh bot that logs in again", async () => {
    const loggedInAtClaim: boolean[] = [];
    let running: Awaited<ReturnType<typeof runBot>> | null = null;
    const f = fakeApi({
      claimOutbox: async () => {
        loggedInAtClaim.push(Boolean(running?.current()?.isLoggedIn));
        return [];
      },
    });
    const bots: Wechaty[] = [];
    const create = () => {
      const mocker = new mock.Mocker();
      const user = mocker.createContact({ name: "门店助手" });
      const bot = buildBot({ name: `svc-${bots.length}`, api: f.api, puppet: new PuppetMock({ mocker }) });
      bot.on("start", () => void setTimeout(() => mocker.login(user), 100));
      bots.push(bot);
      return bot;
    };
    running = await runBot(config, f.api, create);
    await until(() => bots[0].isLoggedIn);
    await until(() => f.called("claimOutbox").length >= 3);
    const beats = () => f.called("heartbeat").map((c) => (c.args[0] as { loggedIn: boolean }).loggedIn);
    await until(() => beats().includes(true));
    await bots[0].logout();
    await until(() => bots.length === 2 && bots[1].isLoggedIn);
    await until(() => beats().lastIndexOf(true) > beats().indexOf(false, beats().indexOf(true)));
    await running.stop();
    expect(beats().at(-1)).toBe(false); // the last word on stop: logged out
    expect(loggedInAtClaim.every(Boolean)).toBe(true);
    // first beat (not yet logged in), login, logout, the new bot's login … stop
    expect(beats().slice(0, 1)).toEqual([false]);
    expect(beats()).toEqual(expect.arrayContaining([true, false]));
  });

  it("restarts a bot whose start() fails, waiting longer each time up to the cap", async () => {
    const f = fakeApi();
    const starts: number[] = [];
    const failing = () => {
      const handlers = new Map<string, (...a: unknown[]) => void>();
      return {
        on: (event: string, h: (...a: unknown[]) => void) => handlers.set(event, h),
        start: async () => {
          starts.push(Date.now());
          throw new Error("puppet crashed");
        },
        stop: async () => undefined,
        isLoggedIn: false,
      } as unknown as Wechaty;
    };
    const running = await runBot(config, f.api, failing);
    await until(() => starts.length >= 4, 8000);
    await running.stop();
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // 200, 400, 800 ms with up to 20 % jitter off
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    expect(gaps[1]).toBeGreaterThanOrEqual(300);
    expect(gaps[2]).toBeGreaterThanOrEqual(600);
    expect(gaps[2]).toBeLessThan(1500);
    const count = starts.length;
    await sleep(1200);
    expect(starts.length).toBe(count); // stopped: no more restarts
  });
});
