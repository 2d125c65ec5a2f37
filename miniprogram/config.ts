/** The member-service API; set per environment at build time (the request domain must be allowed in the WeChat console). */
export const API_BASE_URL = "http://127.0.0.1:3000";

/**
 * Subscribe-message template ids per message kind, as configured in the WeChat console and on the server
 * (WECHAT_TEMPLATE_<KIND>); placeholders until the account's templates exist.
 */
export const SUBSCRIBE_TEMPLATES: Record<string, string> = {
  booking_reminder: "tmpl-booking-reminder",
  maintenance_due: "tmpl-maintenance-due",
  complaint_resolved: "tmpl-complaint-resolved",
  coupon_expiring: "tmpl-coupon-expiring",
  points_expiring: "tmpl-points-expiring",
};
