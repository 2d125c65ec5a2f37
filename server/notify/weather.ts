import type { EntityManager } from "typeorm";
import type { Config } from "../config.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { Store } from "../stores/stores.entity.js";
import { enqueueMany, type NewMessage } from "./outbox.service.js";

export interface WeatherBody {
  storeId?: number;
  city?: string;
  text: string;
}

const BATCH = 1000;

/** The stores a broadcast reaches: one store, or every active store of a city; a store-bound manager only their own. */
async function targetStores(m: EntityManager, staff: StaffPrincipal, body: WeatherBody): Promise<Store[]> {
  if ((body.storeId === undefined) === (body.city === undefined)) throw new AppError("VALIDATION_FAILED", "请指定一个门店或一个城市", [{ in: "body", field: "storeId", rule: "oneOf", message: "门店和城市二选一" }]);
  const stores = body.storeId !== undefined ? await m.findBy(Store, { id: body.storeId, active: true }) : await m.findBy(Store, { city: body.city!, active: true });
  if (stores.length === 0) throw new AppError("STORE_NOT_FOUND", body.city ? "该城市没有营业中的门店" : "门店不存在");
  if (staff.storeId !== null && stores.some((s) => s.id !== staff.storeId)) throw new AppError("STORE_SCOPE_FORBIDDEN", "只能向本门店的会员发送预警", { storeId: body.storeId ?? null });
  return stores;
}

/** Before sending: how many members the alert reaches and through which channel each would go today. */
export async function previewWeather(m: EntityManager, config: Config, staff: StaffPrincipal, body: WeatherBody) {
  const stores = await targetStores(m, staff, body);
  const ids = stores.map((s) => s.id);
  const templateId = config.notify.subscribeTemplates.weather_alert ?? "";
  const [row] = (await m.query(
    `SELECT COUNT(*) AS members,
            SUM(CASE WHEN sc.remaining > 0 THEN 1 ELSE 0 END) AS subscribe,
            SUM(CASE WHEN (sc.remaining IS NULL OR sc.remaining = 0) AND cb.id IS NOT NULL THEN 1 ELSE 0 END) AS bot
       FROM member mb
       LEFT JOIN subscribe_consent sc ON sc.memberId = mb.id AND sc.templateId = ?
       LEFT JOIN contact_binding cb ON cb.subjectType = 'member' AND cb.subjectId = mb.id
      WHERE mb.storeId IN (${ids.map(() => "?").join(", ")})`,
    [templateId, ...ids],
  )) as { members: number | string; subscribe: number | string | null; bot: number | string | null }[];
  const members = Number(row.members);
  const subscribe = Number(row.subscribe ?? 0);
  const bot = Number(row.bot ?? 0);
  return {
    stores: stores.map((s) => ({ id: s.id, name: s.name })),
    members,
    // members neither channel reaches become call tasks for their store (one a member a day)
    byChannel: { subscribe, bot, call: members - subscribe - bot },
    botDailyLimit: config.notify.botDailyLimit,
    note: bot > config.notify.botDailyLimit ? `微信客服每天最多主动发送 ${config.notify.botDailyLimit} 条，其余将顺延到之后几天` : null,
  };
}

/** Queues the alert for every member of the target (service class: quiet hours and the marketing cap do not apply; the bot budget does). */
export async function sendWeather(m: EntityManager, config: Config, staff: StaffPrincipal, body: WeatherBody, broadcastKey: string, now: Date) {
  const preview = await previewWeather(m, config, staff, body);
  const byStore = new Map(preview.stores.map((s) => [s.id, s.name]));
  let enqueued = 0;
  for (let afterId = 0; ; ) {
    const members = (await m.query(`SELECT id, storeId FROM member WHERE storeId IN (${[...byStore.keys()].join(", ")}) AND id > ? ORDER BY id LIMIT ${BATCH}`, [afterId])) as { id: number; storeId: number }[];
    if (members.length === 0) break;
    afterId = Number(members[members.length - 1].id);
    const messages: NewMessage[] = members.map((r) => ({ kind: "weather_alert", memberId: Number(r.id), storeId: Number(r.storeId), vars: { storeName: byStore.get(Number(r.storeId))!, text: body.text }, dedupeKey: `weather:${broadcastKey}:${r.id}` }));
    enqueued += await enqueueMany(m, messages, now);
  }
  return { ...preview, enqueued };
}
