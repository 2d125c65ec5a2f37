import { SUBSCRIBE_TEMPLATES } from "../config";
import { request } from "./request";

export interface SubscriptionLeft {
  kind: string;
  kindName: string;
  templateId: string;
  remaining: number;
}

/** How many messages of each kind the member still allows (one per accept). */
export function fetchSubscriptions(): Promise<{ templates: SubscriptionLeft[] }> {
  return request("/api/v1/me/subscriptions");
}

/**
 * Asks WeChat for one-time consent to the kinds' messages and reports the answers to the server.
 * Must run inside a tap handler (WeChat refuses otherwise). Kinds without a configured template are skipped.
 * Resolves with the kinds the member accepted; a refusal or a dismissed dialog is not an error.
 */
export async function askSubscribe(kinds: string[]): Promise<string[]> {
  const ids = kinds.map((kind) => SUBSCRIBE_TEMPLATES[kind]).filter((id): id is string => Boolean(id)).slice(0, 3);
  if (!ids.length) return [];
  const answers = await new Promise<Record<string, string>>((resolve) =>
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => resolve(res as unknown as Record<string, string>),
      fail: () => resolve({}),
    }),
  );
  const results: Record<string, string> = {};
  for (const id of ids) if (typeof answers[id] === "string") results[id] = answers[id];
  if (!Object.keys(results).length) return [];
  await request("/api/v1/me/subscriptions", { method: "POST", data: { results }, toast: false }).catch(() => undefined);
  return kinds.filter((kind) => results[SUBSCRIBE_TEMPLATES[kind]] === "accept");
}
