/** The closed lists a complaint is described by, with the Chinese names staff and members read. */

export const TEAMS = { service: "客服组", technical: "技术组" } as const;
export type Team = keyof typeof TEAMS;

/** category → its name and the team that handles it */
export const CATEGORIES = {
  service_attitude: { name: "服务态度", team: "service" },
  repair_quality: { name: "维修质量", team: "technical" },
  parts: { name: "配件质量", team: "technical" },
  price: { name: "收费价格", team: "service" },
  waiting_time: { name: "等待时间", team: "service" },
  booking: { name: "预约服务", team: "service" },
  other: { name: "其他", team: "service" },
} satisfies Record<string, { name: string; team: Team }>;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as Category[];

/** 客户要求: what the customer asks for */
export const DEMANDS = {
  explanation: "给予解释",
  apology: "赔礼道歉",
  repair: "返修处理",
  refund: "退还费用",
  compensation: "经济补偿",
  return_exchange: "退车或换车",
  other: "其他",
} as const;
export type Demand = keyof typeof DEMANDS;

export const CHANNELS = { miniprogram: "小程序", phone: "电话", walk_in: "到店", hotline: "集团热线", bot: "微信客服" } as const;
export type ComplaintChannel = keyof typeof CHANNELS;
export const STAFF_INTAKE_CHANNELS = ["phone", "walk_in", "hotline"] as const;

export const SEVERITIES = { normal: "一般", major: "重大" } as const;
export type Severity = keyof typeof SEVERITIES;

export const STATUSES = {
  received: "已受理，待分配",
  assigned: "处理中",
  responded: "已答复",
  waiting: "等待客户回复",
  resolved: "已解决，待评价",
  reopened: "重新处理中",
  closed: "已关闭",
} as const;
export type ComplaintStatus = keyof typeof STATUSES;

/** what the member reads for each status: no SLA figures, only the promise */
export const MEMBER_STATUS_WORDS: Record<ComplaintStatus, string> = {
  received: "已受理，24 小时内答复",
  assigned: "已受理，24 小时内答复",
  responded: "客服已答复，正在处理",
  waiting: "等待您补充信息",
  resolved: "已处理完成，请评价",
  reopened: "已重新受理，正在处理",
  closed: "已办结",
};

/** statuses in which a complaint is someone's open work */
export const OPEN_STATUSES: ComplaintStatus[] = ["assigned", "responded", "waiting", "reopened"];
