import { handoffBusyNotices } from "../bot/bot.jobs.js";
import { checkComplaintSla } from "../complaints/sla.jobs.js";
import { closeUnansweredSurveys } from "../complaints/complaints.jobs.js";
import { expireCoupons, issueBirthdayCoupons } from "../coupons/coupons.jobs.js";
import { birthdayGreetings } from "../notify/birthday.js";
import { bookingReminders, couponsExpiring, holidayGreetings, maintenanceDue, pointsExpiring } from "../notify/reminder.jobs.js";
import { winBackList } from "../notify/win-back.js";
import { expirePoints } from "../points/points.jobs.js";
import { reviewAllTiers } from "../tiers/tiers.jobs.js";
import type { SchedulerDeps } from "./scheduler.js";

export interface Job {
  name: string;
  label: string;
  /** cron expression in Asia/Shanghai; JOB_CRON_<NAME> overrides it */
  schedule: string;
  /** `at` is the firing's scheduled minute: a caught-up or repeated run computes what that firing would have */
  run: (deps: SchedulerDeps, at: Date) => Promise<unknown>;
}

/** Every scheduled job; the scheduler runs each firing once across all instances. */
export const JOBS: Job[] = [
  { name: "coupons.expire", label: "优惠券过期", schedule: "5 0 * * *", run: async (d, at) => ({ expired: await expireCoupons(d.db, at) }) },
  { name: "points.expire", label: "积分过期", schedule: "10 0 * * *", run: async (d, at) => ({ expiredPoints: await expirePoints(d.db, at) }) },
  { name: "tiers.monthly-review", label: "会员等级月度评定", schedule: "30 0 1 * *", run: (d, at) => reviewAllTiers(d.db, at) },
  { name: "coupons.birthday", label: "生日礼券与祝福", schedule: "0 9 * * *", run: async (d, at) => ({ couponsIssued: await issueBirthdayCoupons(d.db, at), ...(await birthdayGreetings(d.db, at)) }) },
  { name: "notify.maintenance-due", label: "保养到期提醒", schedule: "0 10 * * *", run: (d, at) => maintenanceDue(d.db, at) },
  { name: "notify.coupons-expiring", label: "优惠券到期提醒", schedule: "30 10 * * *", run: (d, at) => couponsExpiring(d.db, at) },
  { name: "notify.points-expiring", label: "积分到期提醒", schedule: "0 11 * * *", run: (d, at) => pointsExpiring(d.db, at) },
  { name: "notify.holiday-greetings", label: "节日问候", schedule: "0 9 * * *", run: (d, at) => holidayGreetings(d.db, d.config.notify, at) },
  { name: "notify.booking-reminders", label: "预约前一天提醒", schedule: "0 18 * * *", run: (d, at) => bookingReminders(d.db, at) },
  { name: "complaints.sla", label: "投诉时限检查", schedule: "*/5 * * * *", run: (d, at) => checkComplaintSla(d.db, at) },
  { name: "complaints.survey-close", label: "投诉评价超期自动关闭", schedule: "*/5 * * * *", run: (d, at) => closeUnansweredSurveys(d.db, d.config.complaints, at) },
  { name: "bot.handoff-busy", label: "人工客服超时未答复告知", schedule: "* * * * *", run: (d, at) => handoffBusyNotices(d.db, at) },
  { name: "notify.win-back", label: "流失客户挽回名单", schedule: "0 8 1 * *", run: (d, at) => winBackList(d.db, d.config.notify.winBackMonths, at) },
];
