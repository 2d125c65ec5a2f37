import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../server/notify/deliver.js";
import { OutboxMessage } from "../../server/notify/notify.entity.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { alertsFor, BOT_TOKEN, FAST_BOT_ENV } from "./harness.js";

type Line = { event: "ready" } | { event: "received"; to: string; text: string } | { event: "settled"; id: number; result: string };
const N = 20;
const contactIds = Array.from({ length: N }, (_, i) => `wx-kill-${i}`);

/** The real bot process (`npm run bot -- --console --jsonl`) on the mock puppet: every send to a contact is a JSON line. */
function startBot(baseUrl: string, onLine: (line: Line) => void): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "bot/main.ts", "--console", "--jsonl", `--contacts=${contactIds.join(",")}`], {
    env: { ...process.env, API_BASE_URL: baseUrl, BOT_TOKEN, BOT_OUTBOX_POLL_MS: "100", NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  createInterface({ input: child.stdout! }).on("line", (raw) => {
    if (raw.startsWith("{")) onLine(JSON.parse(raw) as Line);
  });
  return child;
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  for (const start = Date.now(); !(await check()); ) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("kill -9 of the bot process in the middle of a batch", () => {
  let s: TestApp;
  let server: Server;
  let baseUrl: string;
  // set by the test: the next ack request is held, never answered, and its message id reported
  let holdNextAck: ((id: number) => void) | null = null;
  beforeAll(async () => {
    s = await startTestApp("sqlite", { ...FAST_BOT_ENV, BOT_LEASE_SECONDS: "5" });
    const callback = s.app.callback();
    server = createServer((req, res) => {
      const ack = /^\/api\/v1\/bot\/outbox\/(\d+)\/ack$/.exec(req.url ?? "");
      if (ack && holdNextAck) {
        holdNextAck(Number(ack[1]));
        holdNextAck = null;
        return void res.once("close", () => undefined); // the bot dies waiting for this answer
      }
      callback(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await s.close();
  });

  it("loses nothing and repeats only the one message sent but not yet acked when the kill came", async () => {
    const runs: Line[][] = [[], []];
    const first = startBot(baseUrl, (l) => runs[0].push(l));
    await until(() => runs[0].some((l) => l.event === "ready"));
    await until(async () => (await s.t.db.read((m) => m.query("SELECT loggedIn FROM bot_status WHERE botAccount = 'shop-bot'"))).some((r: { loggedIn: unknown }) => Boolean(r.loggedIn)));
    const ids = await alertsFor({ s }, contactIds, "kill");
    const byId = new Map(ids.map((id, i) => [id, i]));
    while ((await deliverDue(s.deps, s.clock.now())) > 0);
    const received = (run: Line[]) => run.filter((l): l is Extract<Line, { event: "received" }> => l.event === "received");
    await until(() => received(runs[0]).length >= 5);
    // the kill lands in the window: a message sent, its ack on the wire
    const held = await new Promise<number>((resolve) => (holdNextAck = resolve));
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    server.closeAllConnections();
    const before = received(runs[0]).length;
    expect(before).toBeLessThan(N); // mid-batch
    expect(received(runs[0]).at(-1)!.to).toBe(contactIds[byId.get(held)!]); // the held ack was the last send's
    const statuses = (await s.t.db.read((m) => m.find(OutboxMessage, { where: ids.map((id) => ({ id })), order: { id: "ASC" } }))).map((r) => [r.id, r.status]);
    expect(statuses.filter(([, st]) => st === "sending")).toEqual([[held, "sending"]]); // one at a time: only it is in hand
    expect(statuses.filter(([, st]) => st === "sent")).toHaveLength(before - 1);

    s.clock.advance(6_000); // past the 5 s lease of the message in hand
    const second = startBot(baseUrl, (l) => runs[1].push(l));
    try {
      await until(async () => (await s.t.db.read((m) => m.find(OutboxMessage, { where: ids.map((id) => ({ id })) }))).every((r) => r.status === "sent"));
    } finally {
      second.kill("SIGTERM");
      await new Promise((resolve) => second.once("exit", resolve));
    }
    const counts = contactIds.map((c, i) => [...received(runs[0]), ...received(runs[1])].filter((l) => l.to === c && l.text === `【浦东店】暴雨预警 kill-${i}`).length);
    // every message arrived once; the one whose ack the kill cut off arrived twice (the documented window)
    expect(counts).toEqual(contactIds.map((_, i) => (i === byId.get(held) ? 2 : 1)));
    expect(received(runs[0]).length + received(runs[1]).length).toBe(N + 1);
  }, 90_000);
});
