import { todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import type { MessageClass } from "./notify.entity.js";

/**
 * Every text the server sends to a person, in one place: a kind's class, its Chinese template and,
 * for the mini-program's subscribe message, the fields WeChat's template takes and the page it opens.
 * Variables are {name}; a missing variable is an error, never an empty gap in a sent message.
 */
export interface MessageTemplate {
  messageClass: MessageClass;
  /** what staff lists call this kind */
  label: string;
  text: string;
  /** the mini-program page a subscribe message opens (query built from the payload) */
  page?: (vars: Vars) => string;
  /** subscribe-message data: WeChat field key → template text (each under 20 characters) */
  fields?: Record<string, string>;
  /** after this instant the message is no use and is retired as `expired` instead of sent; none: it never expires */
  expires?: (vars: Vars, queuedAt: Date) => Date;
  /** retired before any send once the thing it is about has moved on (checked in expiry.ts) */
  obsoleteWhen?: ObsoleteWhen;
  /**
   * part of a live conversation (chat relay): only the bot carries it, handed out at once outside the
   * daily unprompted budget and the per-contact rule (bot-outbox.ts), never a subscribe message or a call
   */
  conversational?: boolean;
}

/** booking_moved: the booking is no longer booked at that start; booking_collected: no longer waiting for pickup; car_serviced: the car's next due date moved */
export type ObsoleteWhen = "booking_moved" | "booking_collected" | "car_serviced";

const HOUR = 3600_000;
/** an instant from the "YYYY-MM-DD HH:mm" (or "YYYY-MM-DD") Shanghai text the payloads carry */
const shanghaiText = (text: string | number) => shanghaiInstant(String(text).slice(0, 10), String(text).slice(11, 16) || "00:00");
/** midnight (Shanghai) that ends the day of an instant */
const endOfDay = (at: Date) => shanghaiInstant(addCalendarDays(todayInShanghai(at), 1), "00:00");
/** noon after the greeting's day: one held overnight by the quiet hours still goes at 08:00, a day later it is stale */
const greetingExpiry = (queuedAt: Date) => new Date(endOfDay(queuedAt).getTime() + 12 * HOUR);

export type Vars = Record<string, string | number>;

export const TEMPLATES = {
  booking_confirmed: {
    messageClass: "service",
    label: "预约成功",
    text: "您已成功预约{storeName}：{serviceNames}，时间 {start}，车辆 {plate}。预约号 {bookingNo}，如需改期请在小程序中操作。",
    page: (v) => `pages/bookings/detail?id=${v.bookingId}`,
    fields: { thing1: "{serviceNames}", time2: "{start}", thing3: "{storeName}", character_string4: "{bookingNo}" },
    expires: (v) => shanghaiText(v.start), // a confirmation after the visit began says nothing
    obsoleteWhen: "booking_moved",
  },
  booking_reminder: {
    messageClass: "service",
    label: "预约提醒",
    text: "温馨提醒：您明天 {start} 在{storeName}有预约（{serviceNames}，车辆 {plate}），请准时到店。",
    page: (v) => `pages/bookings/detail?id=${v.bookingId}`,
    fields: { thing1: "{serviceNames}", time2: "{start}", thing3: "{storeName}" },
    expires: (v) => shanghaiText(String(v.start).slice(0, 10)), // it says 明天: wrong from the booking day's midnight on
    obsoleteWhen: "booking_moved",
  },
  ready_for_pickup: {
    messageClass: "service",
    label: "完工待取车",
    text: "您的车辆 {plate} 已在{storeName}完工，可以来取车了。营业时间内到店即可，如需送车上门请联系门店。",
    page: (v) => `pages/bookings/detail?id=${v.bookingId}`,
    fields: { car_number1: "{plate}", thing2: "{storeName}", phrase3: "待取车" },
    expires: (_v, queuedAt) => new Date(queuedAt.getTime() + 48 * HOUR), // by then the store has called
    obsoleteWhen: "booking_collected",
  },
  booking_cancelled_by_store: {
    messageClass: "service",
    label: "门店取消预约",
    text: "很抱歉，{storeName}因{reason}取消了您 {start} 的预约（{serviceNames}）。您可以在小程序中重新预约其他时间。",
    page: () => "pages/bookings/index",
    fields: { thing1: "{serviceNames}", time2: "{start}", thing3: "{reason}" },
    expires: (v) => shanghaiText(v.start), // it matters until the member would have come
  },
  maintenance_due: {
    messageClass: "service",
    label: "保养到期",
    text: "您的车辆 {plate} 预计于 {dueDate} 需要保养，点击即可预约{storeName}的保养服务。",
    page: (v) => `pages/bookings/new?assetId=${v.assetId}&service=maintenance&storeId=${v.storeId}`,
    fields: { car_number1: "{plate}", date2: "{dueDate}", thing3: "{storeName}" },
    expires: (v) => shanghaiInstant(addCalendarDays(String(v.dueDate), 7), "00:00"), // the on-the-day reminder's week is over
    obsoleteWhen: "car_serviced",
  },
  coupon_expiring: {
    messageClass: "service",
    label: "优惠券即将过期",
    text: "您的优惠券{couponNames}将于 {validTo} 过期，请尽快使用。",
    page: (v) => (Number(v.count) === 1 ? `pages/coupon/detail?id=${v.couponId}` : "pages/coupons/index?tab=available"),
    fields: { thing1: "{couponNames}", time2: "{validTo}" },
    expires: (v) => shanghaiText(v.validTo),
  },
  points_expiring: {
    messageClass: "service",
    label: "积分即将过期",
    text: "您有 {points} 积分将于 {expiresOn} 前陆续过期，可在小程序中兑换优惠券。",
    page: () => "pages/points/index",
    fields: { number1: "{points}", date2: "{expiresOn}" },
    expires: (v) => shanghaiText(v.expiresOn), // the first lot is gone; next month's message has the new total
  },
  birthday: {
    messageClass: "marketing",
    label: "生日祝福",
    text: "{nickname}，祝您生日快乐！{couponLine}",
    page: () => "pages/coupons/index",
    fields: { thing1: "生日祝福", thing2: "{couponLine}" },
    expires: (_v, queuedAt) => greetingExpiry(queuedAt),
  },
  holiday_greeting: {
    messageClass: "marketing",
    label: "节日问候",
    text: "{holiday}快乐！{storeName}祝您和家人节日安康，出行平安。",
    page: () => "pages/index/index",
    fields: { thing1: "{holiday}", thing2: "{storeName}" },
    expires: (_v, queuedAt) => greetingExpiry(queuedAt),
  },
  weather_alert: {
    messageClass: "service",
    label: "天气预警",
    text: "【{storeName}】{text}",
    page: () => "pages/index/index",
    fields: { thing1: "{text}", thing2: "{storeName}" },
    expires: (_v, queuedAt) => new Date(queuedAt.getTime() + 12 * HOUR),
  },
  staff_alert: {
    messageClass: "service",
    label: "员工提醒",
    text: "{text}",
  },
  complaint_received: {
    messageClass: "service",
    label: "投诉已受理",
    text: "您的投诉（编号 {number}）已受理，我们会在 {hours} 小时内答复您，处理进度可在小程序“我的投诉”中查看。",
    page: (v) => `pages/complaints/detail?id=${v.complaintId}`,
    fields: { character_string1: "{number}", thing2: "已受理，{hours} 小时内答复" },
  },
  complaint_reply: {
    messageClass: "service",
    label: "投诉答复",
    text: "客服回复了您的投诉（编号 {number}）：{excerpt}",
    page: (v) => `pages/complaints/detail?id=${v.complaintId}`,
    fields: { character_string1: "{number}", thing2: "{excerpt}" },
  },
  complaint_resolved: {
    messageClass: "service",
    label: "投诉处理结果",
    text: "您的投诉（编号 {number}）已处理完毕：{reply}{compensationLine}欢迎在小程序中对本次处理进行评价。",
    page: (v) => `pages/complaints/detail?id=${v.complaintId}`,
    fields: { character_string1: "{number}", thing2: "{reply}" },
  },
  complaint_assigned: {
    messageClass: "service",
    label: "投诉分配",
    text: "投诉 {number}（{categoryName}，{storeName}）已交由您处理，请在 {due} 前首次答复客户。",
  },
  complaint_member_reply: {
    messageClass: "service",
    label: "客户回复投诉",
    text: "投诉 {number} 的客户回复了：{excerpt}",
  },
  complaint_major: {
    messageClass: "service",
    label: "重大投诉预警",
    text: "【重大投诉】{number}（{storeName}，{categoryName}）：{reasons}。请在 {due} 前提交预警报备。",
  },
  complaint_sla_warning: {
    messageClass: "service",
    label: "投诉时限预警",
    text: "投诉 {number} 的{stage}时限将于 {due} 到期，请尽快处理。",
  },
  complaint_sla_breach: {
    messageClass: "service",
    label: "投诉超时",
    text: "投诉 {number} 的{stage}已超时（应于 {due} 前完成），当前处理人：{owner}。",
  },
  complaint_approval: {
    messageClass: "service",
    label: "投诉补偿审批",
    text: "投诉 {number} 的补偿（{value}）超出{requester}的权限，等待您审批。",
  },
  complaint_return_visit: {
    messageClass: "service",
    label: "投诉回访",
    text: "投诉 {number} 已解决，请回访客户并记录结果。",
  },
  complaint_reopened: {
    messageClass: "service",
    label: "投诉重新打开",
    text: "投诉 {number} 的客户评价为未解决或不满意，已重新打开，请继续处理。",
  },
  chat_relay: {
    messageClass: "service",
    label: "人工客服对话",
    text: "{text}",
    conversational: true,
    expires: (_v, queuedAt) => new Date(queuedAt.getTime() + 24 * HOUR), // a chat line a day old is no conversation
  },
} satisfies Record<string, MessageTemplate>;

export type MessageKind = keyof typeof TEMPLATES;
export const MESSAGE_KINDS = Object.keys(TEMPLATES) as MessageKind[];
/** kinds only the bot carries, as part of a conversation */
export const CONVERSATIONAL_KINDS = MESSAGE_KINDS.filter((k) => (TEMPLATES[k] as MessageTemplate).conversational);

const fill = (template: string, vars: Vars, kind: string) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`message ${kind} needs the variable ${name}`);
    return String(vars[name]);
  });

/** When a message of this kind queued now stops being of use; null: never (staff alerts stay in the inbox). */
export function expiryOf(kind: MessageKind, vars: Vars, queuedAt: Date): Date | null {
  const template: MessageTemplate = TEMPLATES[kind];
  if (!template.expires) return null;
  const at = template.expires(vars, queuedAt);
  if (Number.isNaN(at.getTime())) throw new Error(`message ${kind}: its variables give no expiry`);
  return at;
}

/** The message's text as the member or staff member reads it. */
export function renderText(kind: MessageKind, vars: Vars): string {
  return fill(TEMPLATES[kind].text, vars, kind);
}

/** WeChat subscribe-message `data` (values cut to WeChat's 20-character thing limit) and page. */
export function renderSubscribe(kind: MessageKind, vars: Vars, pageOverride?: string): { data: Record<string, { value: string }>; page: string } | null {
  const template: MessageTemplate = TEMPLATES[kind];
  if (!template.fields) return null;
  const data = Object.fromEntries(Object.entries(template.fields).map(([key, text]) => [key, { value: [...fill(text, vars, kind)].slice(0, 20).join("") }]));
  const page = pageOverride ? fill(pageOverride, vars, kind) : template.page ? template.page(vars) : "pages/index/index";
  return { data, page };
}
