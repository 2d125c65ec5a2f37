import { describe, expect, it } from "vitest";
import { renderSubscribe, renderText, TEMPLATES, type MessageKind } from "../../../server/notify/templates.js";

const booking = { bookingId: 7, bookingNo: "BK20261125ABCDEF", storeName: "星途汽车4S店（浦东店）", serviceNames: "常规保养、洗车", start: "2026-11-26 09:30", plate: "沪A12345" };

// One sample per kind and the exact Chinese text a member or staff member reads.
const EXPECTED: Record<MessageKind, [Record<string, string | number>, string]> = {
  booking_confirmed: [booking, "您已成功预约星途汽车4S店（浦东店）：常规保养、洗车，时间 2026-11-26 09:30，车辆 沪A12345。预约号 BK20261125ABCDEF，如需改期请在小程序中操作。"],
  booking_reminder: [booking, "温馨提醒：您明天 2026-11-26 09:30 在星途汽车4S店（浦东店）有预约（常规保养、洗车，车辆 沪A12345），请准时到店。"],
  ready_for_pickup: [booking, "您的车辆 沪A12345 已在星途汽车4S店（浦东店）完工，可以来取车了。营业时间内到店即可，如需送车上门请联系门店。"],
  booking_cancelled_by_store: [{ ...booking, reason: "设备检修" }, "很抱歉，星途汽车4S店（浦东店）因设备检修取消了您 2026-11-26 09:30 的预约（常规保养、洗车）。您可以在小程序中重新预约其他时间。"],
  maintenance_due: [{ plate: "沪A12345", dueDate: "2026-12-01", storeName: "浦东店", assetId: 3, storeId: 1 }, "您的车辆 沪A12345 预计于 2026-12-01 需要保养，点击即可预约浦东店的保养服务。"],
  coupon_expiring: [{ couponNames: "「保养代金券」等 2 张", validTo: "2026-11-28 23:59" }, "您的优惠券「保养代金券」等 2 张将于 2026-11-28 23:59 过期，请尽快使用。"],
  points_expiring: [{ points: 320, expiresOn: "2026-12-20" }, "您有 320 积分将于 2026-12-20 前陆续过期，可在小程序中兑换优惠券。"],
  birthday: [{ nickname: "王先生", couponLine: "送您「生日礼券」，已放入您的卡包。" }, "王先生，祝您生日快乐！送您「生日礼券」，已放入您的卡包。"],
  holiday_greeting: [{ holiday: "中秋节", storeName: "浦东店" }, "中秋节快乐！浦东店祝您和家人节日安康，出行平安。"],
  weather_alert: [{ storeName: "浦东店", text: "暴雨预警：请将车辆停放在地势较高处" }, "【浦东店】暴雨预警：请将车辆停放在地势较高处"],
  staff_alert: [{ text: "有新的投诉待处理" }, "有新的投诉待处理"],
  complaint_received: [{ number: "TS20261124-0007", complaintId: 5, hours: 24 }, "您的投诉（编号 TS20261124-0007）已受理，我们会在 24 小时内答复您，处理进度可在小程序“我的投诉”中查看。"],
  complaint_reply: [{ number: "TS20261124-0007", complaintId: 5, excerpt: "您好，已为您安排返修" }, "客服回复了您的投诉（编号 TS20261124-0007）：您好，已为您安排返修"],
  complaint_resolved: [{ number: "TS20261124-0007", complaintId: 5, reply: "已免费返修并致歉。", compensationLine: "补偿「保养代金券」已放入您的卡包。" }, "您的投诉（编号 TS20261124-0007）已处理完毕：已免费返修并致歉。补偿「保养代金券」已放入您的卡包。欢迎在小程序中对本次处理进行评价。"],
  complaint_assigned: [{ number: "TS20261124-0007", categoryName: "维修质量", storeName: "浦东店", due: "11-25 10:00" }, "投诉 TS20261124-0007（维修质量，浦东店）已交由您处理，请在 11-25 10:00 前首次答复客户。"],
  complaint_member_reply: [{ number: "TS20261124-0007", excerpt: "车还是有异响" }, "投诉 TS20261124-0007 的客户回复了：车还是有异响"],
  complaint_major: [{ number: "TS20261124-0007", storeName: "浦东店", categoryName: "维修质量", reasons: "敏感词：媒体", due: "11-25 10:00" }, "【重大投诉】TS20261124-0007（浦东店，维修质量）：敏感词：媒体。请在 11-25 10:00 前提交预警报备。"],
  complaint_sla_warning: [{ number: "TS20261124-0007", stage: "首次答复", due: "11-25 10:00" }, "投诉 TS20261124-0007 的首次答复时限将于 11-25 10:00 到期，请尽快处理。"],
  complaint_sla_breach: [{ number: "TS20261124-0007", stage: "处理完成", due: "12-01 10:00", owner: "客服 0007" }, "投诉 TS20261124-0007 的处理完成已超时（应于 12-01 10:00 前完成），当前处理人：客服 0007。"],
  complaint_approval: [{ number: "TS20261124-0007", value: "¥200.00", requester: "客服 0007" }, "投诉 TS20261124-0007 的补偿（¥200.00）超出客服 0007的权限，等待您审批。"],
  complaint_return_visit: [{ number: "TS20261124-0007" }, "投诉 TS20261124-0007 已解决，请回访客户并记录结果。"],
  complaint_reopened: [{ number: "TS20261124-0007" }, "投诉 TS20261124-0007 的客户评价为未解决或不满意，已重新打开，请继续处理。"],
  chat_relay: [{ text: "[#TS20261124-0007] 张** (金卡)：车还是有异响" }, "[#TS20261124-0007] 张** (金卡)：车还是有异响"],
};

describe("message templates", () => {
  it.each(Object.keys(TEMPLATES) as MessageKind[])("renders %s in Chinese with its variables", (kind) => {
    const [vars, text] = EXPECTED[kind];
    expect(renderText(kind, vars)).toBe(text);
  });

  it("refuses to render with a variable missing instead of sending a gap", () => {
    expect(() => renderText("booking_reminder", { start: "明天" })).toThrow(/storeName/);
  });

  it("builds subscribe-message data within WeChat's 20-character field limit, with the deep link", () => {
    const content = renderSubscribe("maintenance_due", EXPECTED.maintenance_due[0])!;
    expect(content.page).toBe("pages/bookings/new?assetId=3&service=maintenance&storeId=1");
    expect(content.data.car_number1.value).toBe("沪A12345");
    const long = renderSubscribe("weather_alert", { storeName: "浦东店", text: "暴雨预警：请将车辆停放在地势较高处，远离河道与地下车库入口" })!;
    expect([...long.data.thing1.value]).toHaveLength(20);
    expect(renderSubscribe("staff_alert", { text: "x" })).toBeNull();
    // an expiring coupon opens its own page; several open the 可使用 tab
    expect(renderSubscribe("coupon_expiring", { couponNames: "「洗车券」", validTo: "2026-11-28 23:59", couponId: 42, count: 1 })!.page).toBe("pages/coupon/detail?id=42");
    expect(renderSubscribe("coupon_expiring", EXPECTED.coupon_expiring[0])!.page).toBe("pages/coupons/index?tab=available");

    // WECHAT_PAGE_<KIND> replaces the page, with the same variables
    expect(renderSubscribe("maintenance_due", EXPECTED.maintenance_due[0], "pages/booking/create?car={assetId}")!.page).toBe("pages/booking/create?car=3");
  });
});
