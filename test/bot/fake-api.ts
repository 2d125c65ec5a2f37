import type { ApiClient, BotContext } from "../../bot/api-client.js";

type Calls = { method: string; args: unknown[] }[];

/**
 * An in-memory stand-in for the server API, for the bot's pure functions: it keeps the dialog like
 * the server does and records every call. Methods a test does not set answer a plain default.
 */
export function fakeApi(over: Partial<ApiClient> = {}, context: Partial<BotContext> = {}) {
  const calls: Calls = [];
  let dialog: Record<string, unknown> | null = context.dialog ?? null;
  const state = { context: { binding: null, handoff: null, ...context } as BotContext };
  const base: ApiClient = {
    heartbeat: async (b) => ({ account: "a", loggedIn: b.loggedIn, lastSeenAt: new Date().toISOString() }),
    context: async () => ({ ...state.context, dialog }),
    bind: async () => ({ type: "member", name: "张**" }),
    unbind: async () => undefined,
    saveDialog: async (_c, s) => void (dialog = s),
    points: async () => ({ balance: 1280, tierName: "金卡", expiring: { points: 200, firstExpiresAt: "2026-12-31T15:59:59.000Z" } }),
    coupons: async () => ({ items: [{ name: "保养50元代金券", code: "C123456", validTo: "2027-01-31", description: "抵扣50元" }] }),
    bookings: async () => ({ items: [], miniprogramPath: "pages/bookings/index" }),
    complaints: async () => ({ items: [] }),
    fileComplaint: async () => ({ id: 7, number: "TS20261202-0001", statusText: "已受理，24 小时内答复" }),
    survey: async () => ({ status: "closed" }),
    optOutMarketing: async () => ({ marketingOptOut: true }),
    openHandoff: async () => ({ id: 1, tag: "H1", assigned: true, expectReplyBy: null }),
    relay: async () => ({ relayed: true }),
    agentMessage: async () => ({ handled: false }),
    claimOutbox: async () => [],
    ackOutbox: async () => undefined,
    matchFaq: async () => ({ kind: "none", reply: "抱歉，我没有理解您的问题。" }),
    faqItem: async (id) => ({ id, question: id, answer: `answer of ${id}` }),
    stores: async () => [{ name: "浦东店", phone: "021-58880001" }],
  };
  const api = Object.fromEntries(
    Object.entries({ ...base, ...over }).map(([name, fn]) => [name, (...args: unknown[]) => (calls.push({ method: name, args }), (fn as (...a: unknown[]) => unknown)(...args))]),
  ) as unknown as ApiClient;
  return { api, calls, state, dialog: () => dialog, called: (method: string) => calls.filter((c) => c.method === method) };
}
