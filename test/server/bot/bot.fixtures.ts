import { expect } from "vitest";
import { Member } from "../../../server/members/members.entity.js";
import { OutboxMessage } from "../../../server/notify/notify.entity.js";
import type { TestApp } from "../../helpers/app.js";
import { BOT_AUTH } from "../../helpers/notify.js";

/** A bot-token request to /api/v1/bot<path>. */
export const bot = (s: TestApp, path: string, body: object, auth = BOT_AUTH) => s.http.post(`/api/v1/bot${path}`).set("Authorization", auth).send(body);

/** The bot reports itself logged in now (the test clock's now). */
export const heartbeat = (s: TestApp, loggedIn = true) => bot(s, "/heartbeat", { loggedIn, userName: "星途客服" }).expect(200);

let contacts = 0;
export const newContact = (prefix = "wxid") => `${prefix}-${process.pid}-${++contacts}`;

/** A code from the mini-program (member) or the staff account, sent to the bot by the contact. */
export async function bindWithCode(s: TestApp, auth: string, contactId: string, as: "member" | "staff" = "member") {
  const path = as === "member" ? "/api/v1/me/bot-binding/code" : "/api/v1/staff/me/bot-binding/code";
  const { code } = (await s.http.post(path).set("Authorization", auth).expect(200)).body;
  const res = await bot(s, "/bindings", { contactId, code });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { type: string; name: string };
}

let members = 0;

/** A member of store 1 named 张三, bound to a new contact. */
export async function boundMember(s: TestApp, nickname = "张三") {
  const { auth, member } = await s.loginMember(`bot-${process.pid}-${++members}`, 1);
  await s.t.db.tx((m) => m.update(Member, { id: member.id }, { nickname }));
  const contactId = newContact("wxid-m");
  await bindWithCode(s, auth, contactId);
  return { auth, member, contactId };
}

/** A staff member bound to a new contact. */
export async function boundStaff(s: TestApp, staff: { auth: string; id: number }) {
  const contactId = newContact("wxid-s");
  await bindWithCode(s, staff.auth, contactId, "staff");
  return { ...staff, contactId };
}

/** Outbox rows of a kind to one member or staff member, oldest first. */
export const outboxTo = (s: TestApp, to: { memberId: number } | { staffId: number }, kind?: string) =>
  s.t.db.read((m) => m.find(OutboxMessage, { where: { ...to, ...(kind ? { kind } : {}) }, order: { id: "ASC" } }));
