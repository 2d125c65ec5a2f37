import { bodyParser } from "@koa/bodyparser";
import Koa from "koa";
import { pino } from "pino";
import { archiveRoutes } from "./archive/archive.routes.js";
import { assetRoutes } from "./assets/assets.routes.js";
import { authRoutes } from "./auth/auth.routes.js";
import { WechatClient } from "./auth/wechat-client.js";
import type { Config } from "./config.js";
import type { Database } from "./db/database.js";
import type { AppDeps } from "./http/context.js";
import { errorHandler } from "./http/error-handler.js";
import { methodOverride } from "./http/method-override.js";
import { healthRoutes } from "./http/health.routes.js";
import { buildOpenApi } from "./http/openapi.js";
import { requestContext } from "./http/request-context.js";
import { dispatch } from "./http/dispatch.js";
import { ApiRoutes } from "./http/routes.js";
import { memberRoutes } from "./members/members.routes.js";
import { privacyRoutes } from "./privacy/privacy.routes.js";
import { auditRoutes } from "./audit/audit.routes.js";
import { staffRoutes } from "./staff/staff.routes.js";
import { couponRoutes } from "./coupons/coupons.routes.js";
import { templateRoutes } from "./coupons/templates.routes.js";
import { pointsRoutes } from "./points/points.routes.js";
import { bookingRoutes } from "./bookings/bookings.routes.js";
import { staffBookingRoutes } from "./bookings/staff-bookings.routes.js";
import { serviceRecordRoutes } from "./service-records/service-records.routes.js";
import { loyaltySettingsRoutes } from "./tiers/loyalty-settings.routes.js";
import { tierRoutes } from "./tiers/tiers.routes.js";
import { storeSetupRoutes } from "./stores/store-setup.routes.js";
import { storeRoutes } from "./stores/stores.routes.js";
import { databaseTokenStore } from "./notify/wechat-token.js";
import { notifyMemberRoutes, notifyStaffRoutes, botOutboxRoutes } from "./notify/notify.routes.js";
import { broadcastRoutes } from "./notify/broadcast.routes.js";
import { complaintMemberRoutes } from "./complaints/complaints.routes.js";
import { complaintStaffRoutes } from "./complaints/staff-complaints.routes.js";
import { complaintResolutionStaffRoutes, complaintSurveyMemberRoutes } from "./complaints/resolution.routes.js";
import { complaintPhotoRoutes } from "./complaints/photos.routes.js";
import { complaintStatsRoutes } from "./complaints/stats.routes.js";
import { botHandoffRoutes, botMemberRoutes, botRoutes } from "./bot/bot.routes.js";
import { botStaffRoutes } from "./bot/bot-staff.routes.js";
import { botMemberBindingRoutes } from "./bot/bot-member.routes.js";
import { faqMatchRoutes, faqStaffRoutes } from "./faq/faq.routes.js";
import { consoleStatic } from "./http/console.js";
import { reportRoutes } from "./reports/reports.routes.js";

export const API_VERSION = "1.0.0";

/** Builds the Koa app around a database; never listens (main.ts does), so tests call app.callback(). */
export function createApp(options: { config: Config; db: Database; logger?: AppDeps["logger"]; wechat?: WechatClient; clock?: () => Date }): Koa {
  const { config, db } = options;
  const deps: AppDeps = {
    config,
    db,
    logger: options.logger ?? pino({ level: config.logLevel }),
    wechat: options.wechat ?? new WechatClient({ ...config.wechat, tokenStore: databaseTokenStore(db) }),
    clock: options.clock ?? (() => new Date()),
  };
  db.logger ??= deps.logger;
  const app = new Koa({ proxy: true });
  app.context.deps = deps;

  const features = [
    healthRoutes(), authRoutes(), memberRoutes(), privacyRoutes(), assetRoutes(), storeRoutes(), staffRoutes(), archiveRoutes(), auditRoutes(),
    pointsRoutes(), tierRoutes(), couponRoutes(), templateRoutes(), loyaltySettingsRoutes(),
    bookingRoutes(), staffBookingRoutes(), serviceRecordRoutes(), storeSetupRoutes(),
    notifyMemberRoutes(), notifyStaffRoutes(), botOutboxRoutes(), broadcastRoutes(),
    complaintMemberRoutes(), complaintStaffRoutes(), complaintResolutionStaffRoutes(), complaintSurveyMemberRoutes(), complaintPhotoRoutes(), complaintStatsRoutes(), reportRoutes(),
    faqStaffRoutes(), faqMatchRoutes(),
    botRoutes(), botMemberRoutes(), botHandoffRoutes(), botStaffRoutes(), botMemberBindingRoutes(),
  ];
  const openapi = buildOpenApi(features.flatMap((f) => f.docs), API_VERSION);
  const docs = new ApiRoutes("/api/v1", "运维").add({ method: "get", path: "/openapi.json", summary: "OpenAPI 文档", access: "public" }, async () => openapi);

  app.use(requestContext);
  app.use(errorHandler);
  app.use(methodOverride);
  app.use(consoleStatic());
  app.use(bodyParser({ enableTypes: ["json"], jsonLimit: config.bodyLimit, encoding: "utf-8" }));
  app.use(dispatch([...features, docs]));
  return app;
}
