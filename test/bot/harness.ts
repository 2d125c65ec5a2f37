import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { createApiClient, type ApiClient } from "../../bot/api-client.js";
import { loadBotConfig, type BotConfig } from "../../bot/config.js";
import { buildBot } from "../../bot/main.js";
import { runBot, type RunningBot } from "../../bot/service.js";
import { deliverDue } from "../../server/notify/deliver.js";
import { ContactBinding, OutboxMessage } from "../../server/notify/notify.entity.js";
import { enqueue } from "../../server/notify/outbox.service.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { createMembers } from "../helpers/instances.js";
import { NOTIFY_ENV } from "../helpers/notify.js";

export const BOT_TOKEN = NOTIFY_ENV.BOT_TOKENS.split("=")[1];
/** the server paces nothing in these tests, so the bot's own behaviour shows */
export const FAST_BOT_ENV = { ...NOTIFY_ENV, BOT_MIN_GAP_SECONDS: "0", BOT_JITTER_SECONDS: "0", BOT_CHAT_GAP_SECONDS: "0", BOT_PER_CONTACT_DAILY: "100", BOT_DAILY_LIMIT: "1000" };

type Said = { talker(): { id: string }; text(): string };
// the mock contacts and rooms are event emitters at run time; their typings leave `on` out
export const listenTo = (target: unknown, listener: (msg: Said) => void) => (target as { on(event: "message", l: (msg: Said) => void): void }).on("message", listener);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real API on a local port and the real bot process pieces (handlers, heartbeat, outbox loop) on the
 * mock puppet. Contacts are made by name with fixed ids (wx-<name>), so after restart() the same
 * people talk to a brand-new bot.
 */
export class BotHarness {
  s!: TestApp;
  baseUrl!: string;
  api!: ApiClient;
  config!: BotConfig;
  mocker!: mock.Mocker;
  botUser!: mock.ContactMock;
  running!: RunningBot;
  private server!: Server;
  private contacts = new Map<string, mock.ContactMock>();
  /** every message the bot sent to a contact, in order */
  inbox: { to: string; text: string }[] = [];

  static async start(env: Record<string, string> = {}): Promise<BotHarness> {
    const h = new BotHarness();
    h.s = await startTestApp("sqlite", { ...FAST_BOT_ENV, ...env });
    h.server = createServer(h.s.app.callback());
    await new Promise<void>((resolve) => h.server.listen(0, "127.0.0.1", resolve));
    h.baseUrl = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}`;
    h.config = loadBotConfig({ API_BASE_URL: h.baseUrl, BOT_TOKEN, BOT_OUTBOX_POLL_MS: "100" });
    h.api = createApiClient(h.baseUrl, BOT_TOKEN);
    await h.launch();
    return h;
  }

  private async launch() {
    this.mocker = new mock.Mocker();
    this.botUser = this.mocker.createContact({ id: "wx-bot", name: "门店助手" });
    const names = [...this.contacts.keys()];
    this.contacts.clear();
    for (const name of names) this.contact(name);
    const puppet = new PuppetMock({ mocker: this.mocker });
    this.running = await runBot(this.config, this.api, () => buildBot({ name: "test-bot", api: this.api, puppet }));
    this.mocker.login(this.botUser);
    while (!this.running.current()?.isLoggedIn) await sleep(10);
    await this.api.heartbeat({ loggedIn: true, userName: "门店助手" });
  }

  /** Stops the bot (as a restart would) and starts a fresh one: nothing but the server remembers anything. */
  async restart() {
    await this.running.stop();
    await this.launch();
  }

  contact(name: string, payload: Partial<{ friend: boolean }> = {}): mock.ContactMock {
    let c = this.contacts.get(name);
    if (!c) {
      c = this.mocker.createContact({ id: `wx-${name}`, name, friend: true, ...payload });
      listenTo(c, (msg) => {
        if (msg.talker().id === this.botUser.id) this.inbox.push({ to: `wx-${name}`, text: msg.text() });
      });
      this.contacts.set(name, c);
    }
    return c;
  }

  room(topic: string, members: mock.ContactMock[]): mock.RoomMock {
    return this.mocker.createRoom({ topic, memberIdList: [...members.map((m) => m.id), this.botUser.id] });
  }

  /** `who` says `text` (in `room`, mentioning the bot, when given); resolves with the bot's replies within `quietMs` of silence. */
  ask(who: mock.ContactMock | string, text: string, options: { room?: mock.RoomMock; mention?: boolean; quietMs?: number } = {}): Promise<string[]> {
    const contact = typeof who === "string" ? this.contact(who) : who;
    const replies: string[] = [];
    return new Promise((resolve) => {
      let timer = setTimeout(() => resolve(replies), options.quietMs ?? 1500);
      listenTo(options.room ?? contact, (msg) => {
        if (msg.talker().id !== this.botUser.id) return;
        replies.push(msg.text());
        clearTimeout(timer);
        timer = setTimeout(() => resolve(replies), 150);
      });
      if (options.room) contact.say(options.mention === false ? text : `@门店助手 ${text}`, options.mention === false ? [] : [this.botUser]).to(options.room);
      else contact.say(text).to(this.botUser);
    });
  }

  /** Runs the server's delivery round (the router) and waits until the bot has taken what it was handed. */
  async pump(rounds = 1) {
    for (let i = 0; i < rounds; i++) {
      while ((await deliverDue(this.s.deps, this.s.clock.now())) > 0);
      for (let w = 0; w < 40; w++) {
        const open = (await this.s.t.db.read((m) => m.query("SELECT COUNT(*) AS n FROM outbox_message WHERE channel = 'bot' AND status IN ('queued', 'sending')"))) as { n: number }[];
        if (Number(open[0].n) === 0) break;
        await sleep(50);
      }
    }
  }

  /** Waits until the bot sent `name` a message that contains `part`. */
  async received(name: string, part: string, timeoutMs = 4000): Promise<string> {
    for (let t = 0; t < timeoutMs; t += 50) {
      const hit = this.inbox.find((m) => m.to === `wx-${name}` && m.text.includes(part));
      if (hit) return hit.text;
      await this.pump();
    }
    throw new Error(`no message to ${name} containing "${part}"; got ${JSON.stringify(this.inbox.filter((m) => m.to === `wx-${name}`))}`);
  }

  /** A member (dev login) bound to `name` through the mini-program's code and the bot. */
  async bindMember(name: string, openid = `openid-${Buffer.from(name).toString("hex")}`) {
    const login = await this.s.loginMember(openid);
    const code = await this.s.http.post("/api/v1/me/bot-binding/code").set("Authorization", login.auth).expect(200);
    const [reply] = await this.ask(name, code.body.code);
    return { ...login, reply };
  }

  /** A staff account of the role bound to `name`. */
  async bindStaff(name: string, role: "agent" | "manager" = "agent", storeId: number | null = 1) {
    const staff = await this.s.loginStaff(role, storeId);
    const code = await this.s.http.post("/api/v1/staff/me/bot-binding/code").set("Authorization", staff.auth).expect(200);
    const [reply] = await this.ask(name, code.body.code);
    return { ...staff, reply };
  }

  async close() {
    await this.running.stop();
    await new Promise((resolve) => this.server.close(resolve));
    await this.s.close();
  }
}

/** Members bound to the bot under the given contact ids, each with one weather alert queued; returns the alert ids. */
export async function alertsFor(h: { s: TestApp }, contactIds: string[], prefix: string): Promise<number[]> {
  const members = await createMembers(h.s, contactIds.length, prefix);
  await h.s.t.db.tx((m) => m.insert(ContactBinding, members.map((mb, i) => ({ botAccount: "shop-bot", contactId: contactIds[i], subjectType: "member" as const, subjectId: mb.id, createdAt: new Date() }))));
  const ids: number[] = [];
  for (const [i, mb] of members.entries()) {
    await h.s.t.db.tx((m) => enqueue(m, { kind: "weather_alert", memberId: mb.id, storeId: 1, vars: { storeName: "浦东店", text: `暴雨预警 ${prefix}-${i}` }, dedupeKey: `${prefix}:${mb.id}` }, h.s.clock.now()));
    ids.push((await h.s.t.db.read((m) => m.findOneByOrFail(OutboxMessage, { dedupeKey: `${prefix}:${mb.id}` }))).id);
  }
  return ids;
}

