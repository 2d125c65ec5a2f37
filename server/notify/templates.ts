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
  /** a service notice no channel could carry becomes a call task for the member's store (the seeds' 电话回访) */
  callIfUnreached?: boolean;
  /** the mini-program page a subscribe message opens (query built from the payload) */
  page?: (vars: Vars) => string;
  /** subscribe-message data: WeChat field key → template text (each under 20 characters) */
  fields?: Record<string, string>;
}

export type Vars = Record<string, string | number>;

export const TEMPLATES = {
  booking_confirmed: {
    messageClass: "service",
    label: "预约成功",
    text: "您已成功预约{storeName}：{serviceNames}，时间 {start}，车辆 {plate}。预约号 {bookingNo}，如需改期请在小程序中操作。",
    page: (v) => `pages/bookings/detail?id=${v.bookingId}`,
    fields: { thing1: "{serviceNames}", time2: "{start}", thing3: "{storeName}", character_string4: "{bookingNo}" },
  },
  booking_reminder: {
    messageClass: "service",
    callIfUnreached: true,
    label: "预约提醒",
    text: "温馨提醒：您明天 {start} 在{storeName}有预约（{serviceNames}，车辆 {plate}），请准时到店。",
    page: (v) => `pages/bookings/detail?id=${v.bookingId}`,
    fields: { thing1: "{serviceNames}", time2: "{start}", thing3: "{storeName}" },
  },
  ready_for_pickup: {
    messageClass: "service",
    callIfUnreached: true,
    label: "完工待取车",
    text: "您的车辆 {plate} 已在{storeName}完工，可以来取车了。营业时间内到店即可，如需送车上门请联系门店。",
    page: (v) => `pages/bookings/detail?id=${v.bookingId}`,
    fields: { car_number1: "{plate}", thing2: "{storeName}", phrase3: "待取车" },
  },
  booking_cancelled_by_store: {
    messageClass: "service",
    callIfUnreached: true,
    label: "门店取消预约",
    text: "很抱歉，{storeName}因{reason}取消了您 {start} 的预约（{serviceNames}）。您可以在小程序中重新预约其他时间。",
    page: () => "pages/bookings/index",
    fields: { thing1: "{serviceNames}", time2: "{start}", thing3: "{reason}" },
  },
  maintenance_due: {
    messageClass: "service",
    callIfUnreached: true,
    label: "保养到期",
    text: "您的车辆 {plate} 预计于 {dueDate} 需要保养，点击即可预约{storeName}的保养服务。",
    page: (v) => `pages/bookings/new?assetId=${v.assetId}&service=maintenance&storeId=${v.storeId}`,
    fields: { car_number1: "{plate}", date2: "{dueDate}", thing3: "{storeName}" },
  },
  coupon_expiring: {
    messageClass: "service",
    label: "优惠券即将过期",
    text: "您的优惠券{couponNames}将于 {validTo} 过期，请尽快使用。",
    page: () => "pages/coupons/index",
    fields: { thing1: "{couponNames}", time2: "{validTo}" },
  },
  points_expiring: {
    messageClass: "service",
    label: "积分即将过期",
    text: "您有 {points} 积分将于 {expiresOn} 前陆续过期，可在小程序中兑换优惠券。",
    page: () => "pages/points/index",
    fields: { number1: "{points}", date2: "{expiresOn}" },
  },
  birthday: {
    messageClass: "marketing",
    label: "生日祝福",
    text: "{nickname}，祝您生日快乐！{couponLine}",
    page: () => "pages/coupons/index",
    fields: { thing1: "生日祝福", thing2: "{couponLine}" },
  },
  holiday_greeting: {
    messageClass: "marketing",
    label: "节日问候",
    text: "{holiday}快乐！{storeName}祝您和家人节日安康，出行平安。",
    page: () => "pages/index/index",
    fields: { thing1: "{holiday}", thing2: "{storeName}" },
  },
  weather_alert: {
    messageClass: "service",
    label: "天气预警",
    text: "【{storeName}】{text}",
    page: () => "pages/index/index",
    fields: { thing1: "{text}", thing2: "{storeName}" },
  },
  staff_alert: {
    messageClass: "service",
    label: "员工提醒",
    text: "{text}",
  },
} satisfies Record<string, MessageTemplate>;

export type MessageKind = keyof typeof TEMPLATES;
export const MESSAGE_KINDS = Object.keys(TEMPLATES) as MessageKind[];

const fill = (template: string, vars: Vars, kind: string) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`message ${kind} needs the variable ${name}`);
    return String(vars[name]);
  });

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
