/** The one small typed client the bot reaches the server with (the contract in /api/v1/bot/*); it never touches the database. */

export type Binding = null | { type: "member"; memberId: number; maskedName: string; tierName: string } | { type: "staff"; staffId: number; name: string; role: string };

export interface BotContext {
  binding: Binding;
  dialog: Record<string, unknown> | null;
  handoff: null | { id: number; tag: string; complaintId: number | null };
}

export interface ClaimedMessage {
  id: number;
  leaseToken: string;
  leaseUntil: string;
  contactId: string;
  kind: string;
  text: string;
}

export type FaqMatch =
  | { kind: "answer"; faq: { id: string; question: string; answer: string }; score?: number }
  | { kind: "choices"; choices: { id: string; question: string }[]; score?: number }
  | { kind: "greeting" | "thanks" | "none"; reply?: string; score?: number };

export interface Complaint {
  id: number;
  number: string;
  statusText: string;
  createdAt: string;
  surveyOpen: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface ApiClient {
  heartbeat(body: { loggedIn: boolean; userName?: string }): Promise<{ account: string; loggedIn: boolean; lastSeenAt: string }>;
  context(contactId: string): Promise<BotContext>;
  bind(contactId: string, code: string): Promise<{ type: "member" | "staff"; name: string }>;
  unbind(contactId: string): Promise<void>;
  saveDialog(contactId: string, state: Record<string, unknown> | null): Promise<void>;
  points(contactId: string): Promise<{ balance: number; tierName: string; expiring: { points: number; firstExpiresAt: string | null } }>;
  coupons(contactId: string): Promise<{ items: { name: string; code: string; validTo: string; description: string }[] }>;
  bookings(contactId: string): Promise<{ items: { bookingNo: string; storeName: string; start: string; serviceNames: string[] | string; statusName: string }[]; miniprogramPath: string }>;
  complaints(contactId: string): Promise<{ items: Complaint[] }>;
  fileComplaint(body: { contactId: string; category: string; content: string; demand: string; requestId?: string }): Promise<{ id: number; number: string; statusText: string }>;
  survey(body: { contactId: string; complaintId: number; rating: number; solved: boolean; comment?: string }): Promise<{ status: string }>;
  optOutMarketing(contactId: string): Promise<{ marketingOptOut: boolean }>;
  openHandoff(body: { contactId: string; text?: string; complaintId?: number }): Promise<{ id: number; tag: string; assigned: boolean; expectReplyBy: string | null }>;
  relay(contactId: string, text: string): Promise<{ relayed: boolean }>;
  agentMessage(contactId: string, text: string): Promise<{ handled: boolean; reply?: string }>;
  claimOutbox(max: number): Promise<ClaimedMessage[]>;
  ackOutbox(id: number, body: { leaseToken: string; result: "sent" | "failed" | "refused"; error?: string }): Promise<void>;
  matchFaq(q: string): Promise<FaqMatch>;
  faqItem(id: string): Promise<{ id: string; question: string; answer: string }>;
  stores(): Promise<{ name: string; phone: string }[]>;
}

/** A client for one server and bot token; every call times out after `timeoutMs` and throws ApiError on an error answer. */
export function createApiClient(baseUrl: string, token: string, timeoutMs = 8000): ApiClient {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as T & { error?: { code: string; message: string; details?: Record<string, unknown> } }) : ({} as T & { error?: undefined });
    if (!res.ok) throw new ApiError(res.status, parsed.error?.code ?? "UNKNOWN", parsed.error?.message ?? `HTTP ${res.status}`, parsed.error?.details ?? {});
    return parsed;
  }
  const post = <T>(path: string, body: unknown) => call<T>("POST", path, body);
  const bot = (path: string) => `/api/v1/bot${path}`;
  return {
    heartbeat: (body) => post(bot("/heartbeat"), body),
    context: (contactId) => post(bot("/context"), { contactId }),
    bind: (contactId, code) => post(bot("/bindings"), { contactId, code }),
    unbind: async (contactId) => void (await post(bot("/bindings/remove"), { contactId })),
    saveDialog: async (contactId, state) => void (await post(bot("/dialog"), { contactId, state })),
    points: (contactId) => post(bot("/member/points"), { contactId }),
    coupons: (contactId) => post(bot("/member/coupons"), { contactId }),
    bookings: (contactId) => post(bot("/member/bookings"), { contactId }),
    complaints: (contactId) => post(bot("/member/complaints"), { contactId }),
    fileComplaint: (body) => post(bot("/member/complaints/file"), body),
    survey: (body) => post(bot("/member/survey"), body),
    optOutMarketing: (contactId) => post(bot("/member/marketing-opt-out"), { contactId }),
    openHandoff: (body) => post(bot("/handoffs/open"), body),
    relay: (contactId, text) => post(bot("/handoffs/relay"), { contactId, text }),
    agentMessage: (contactId, text) => post(bot("/agent/message"), { contactId, text }),
    // the server answers { messages } today; the contract names it { items }: accept either
    claimOutbox: async (max) => {
      const res = await post<{ items?: ClaimedMessage[]; messages?: ClaimedMessage[] }>(bot("/outbox/claim"), { max });
      return res.items ?? res.messages ?? [];
    },
    ackOutbox: async (id, body) => void (await post(bot(`/outbox/${id}/ack`), body)),
    matchFaq: (q) => post("/api/v1/faq/match", { q }),
    faqItem: (id) => call("GET", `/api/v1/faq/items/${encodeURIComponent(id)}`),
    stores: () => call("GET", "/api/v1/stores"),
  };
}
