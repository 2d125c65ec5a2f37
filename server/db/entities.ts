import { AssetArchive, Asset } from "../assets/assets.entity.js";
import { AuditLog } from "../audit/audit.entity.js";
import { BotBindAttempt, BotBindCode, BotChatPace, BotDialog, BotHandoff, BotHandoffMessage, BotStatus } from "../bot/bot.entity.js";
import { AgentDuty, Complaint, ComplaintCase, ComplaintCounter, ComplaintEvent, ComplaintMessage, ComplaintPhoto, ComplaintReport } from "../complaints/complaints.entity.js";
import { Faq, FaqKnowledgeBase, FaqMiss } from "../faq/faq.entity.js";
import { Member } from "../members/members.entity.js";
import { MemberAccessLog } from "../privacy/access-log.entity.js";
import { Coupon, CouponClaimCounter, CouponTemplate } from "../coupons/coupons.entity.js";
import { IdempotencyRecord } from "../idempotency/idempotency.entity.js";
import { JobFiring } from "../jobs/firing.entity.js";
import { BotContactDay, BotSendBudget, CallTask, ContactBinding, MarketingWeek, MemberPreference, OutboxMessage, SubscribeConsent, WechatToken } from "../notify/notify.entity.js";
import { Consumption, EarningCategory, EarningRule, PointsLedger, PointsLot } from "../points/points.entity.js";
import { BenefitRedemption, BenefitUsage, Tier, TierBenefit, TierHistory } from "../tiers/tiers.entity.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { Booking, SlotUsage } from "../bookings/bookings.entity.js";
import { MaintenanceInterval, ServiceRecord } from "../service-records/service-records.entity.js";
import { ServiceBay, ServiceType, Store, StoreClosure, StoreHours, Technician } from "../stores/stores.entity.js";

/** Every entity, listed explicitly (no globs: they break under ESM and bundlers). */
export const ENTITIES = [
  Store, ServiceType, Member, Asset, AssetArchive, StaffAccount, MemberAccessLog, AuditLog,
  PointsLedger, PointsLot, Consumption, EarningCategory, EarningRule,
  Tier, TierHistory, TierBenefit, BenefitUsage, BenefitRedemption,
  CouponTemplate, Coupon, CouponClaimCounter, IdempotencyRecord,
  StoreHours, StoreClosure, ServiceBay, Technician, Booking, SlotUsage, ServiceRecord, MaintenanceInterval,
  OutboxMessage, SubscribeConsent, WechatToken, ContactBinding, BotSendBudget, BotContactDay, CallTask, MemberPreference, MarketingWeek, JobFiring,
  Complaint, ComplaintMessage, ComplaintEvent, ComplaintPhoto, ComplaintReport, ComplaintCounter, AgentDuty, ComplaintCase,
  BotStatus, BotChatPace, BotBindCode, BotBindAttempt, BotDialog, BotHandoff, BotHandoffMessage,
  Faq, FaqKnowledgeBase, FaqMiss,
];
