import { pino } from "pino";
import { WechatClient } from "../../auth/wechat-client.js";
import { closeUnansweredSurveys } from "../../complaints/complaints.jobs.js";
import { checkComplaintSla } from "../../complaints/sla.jobs.js";
import { deliverDue } from "../../notify/deliver.js";
import { CallTask } from "../../notify/notify.entity.js";
import { recordCallOutcome } from "../../notify/views.service.js";
import { addCalendarDays } from "../../stores/calendar.js";
import { advisorOf, type DemoContext } from "./context.js";
import { hhmm, on } from "./timeline.js";

/**
 * What runs on its own in a live system, at its past instants: the outbox delivery loop (two
 * rounds a day: confirmations, the 18:00 reminders, staff inbox; a member without a channel becomes
 * a call task, as deliver.ts does), the complaint SLA check every four hours, the survey window's close
 * each night, and the desk working through the call list each morning but for the last two days.
 */
export function planOperations(ctx: DemoContext): void {
  const { db, config, timeline, r } = ctx;
  // no WeChat: demo members hold no subscribe consent, and the history must never call out
  const deps = { db, config, logger: pino({ level: config.logLevel }), wechat: new WechatClient({ appId: null, appSecret: null, apiBase: config.wechat.apiBase }) };
  const complaintsFrom = addCalendarDays(ctx.today, -32);
  for (let date = ctx.firstDay; date <= ctx.today; date = addCalendarDays(date, 1)) {
    for (const time of ["10:05", "18:05"]) timeline.add(on(date, time), async (at) => void (await deliverDue(deps, at)));
    if (date >= complaintsFrom) for (let hour = 0; hour < 24; hour += 4) timeline.add(on(date, hhmm(hour, 1)), async (at) => void (await checkComplaintSla(db, at)));
    timeline.add(on(date, "00:06"), async (at) => void (await closeUnansweredSurveys(db, config.complaints, at)));
    if (date >= addCalendarDays(ctx.today, -1)) continue;
    const dayStart = on(date, "00:00");
    for (const storeId of [1, 2]) {
      timeline.add(on(date, hhmm(10, 30 + storeId * 5)), async (at) => {
        const open = await db.read((m) => m.createQueryBuilder(CallTask, "t").where("t.storeId = :storeId AND t.status = 'open' AND t.createdAt < :dayStart", { storeId, dayStart }).orderBy("t.id", "ASC").getMany());
        for (const task of open) {
          const roll = r.next();
          const outcome = roll < 0.75 ? "reached" : roll < 0.95 ? "no_answer" : "wrong_number";
          const note = outcome === "reached" ? r.pick(["已电话告知，客户确认", "客户已知悉，无其他需求", "已提醒客户按时到店"]) : undefined;
          await db.tx((m) => recordCallOutcome(m, advisorOf(ctx, storeId), task.id, { outcome, note }, at));
        }
      });
    }
  }
}
