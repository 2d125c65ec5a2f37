import type { Complaint } from "../../complaints/complaints.entity.js";
import { answerSurvey, recordReturnVisit } from "../../complaints/aftercare.service.js";
import { fileMemberComplaint, fileStaffComplaint, type ComplaintInput, type StaffIntakeInput } from "../../complaints/intake.service.js";
import type { Investigation } from "../../complaints/resolution.schema.js";
import { resolveComplaint } from "../../complaints/resolution.service.js";
import { handOver, setDuty, takeFromQueue } from "../../complaints/routing.service.js";
import { fileEscalation } from "../../complaints/severity.service.js";
import { addNote, replyAsMember, replyAsStaff } from "../../complaints/thread.service.js";
import type { StaffPrincipal } from "../../http/context.js";
import { addCalendarDays } from "../../stores/calendar.js";
import type { DemoContext, SeededMember } from "./context.js";
import type { DemoTemplates } from "./loyalty.js";
import { on, plusMinutes } from "./timeline.js";

type Step = [minutesAfterFiling: number, run: (at: Date, id: number) => Promise<unknown>, stamp?: boolean];

const report = (cause: string, conclusion: string): Investigation => ({
  cause,
  course: "接诉后当日联系客户了解情况，调取工单、监控与施工记录，与当班顾问和技师逐一核实。",
  responsible: "门店服务部",
  conclusion,
  corrective: "已向客户说明情况并致歉，按约定完成处理。",
  preventive: "纳入本月班前会案例，相关流程补充到岗位检查表。",
});

/**
 * Fourteen complaints in every state, filed and worked through the complaints services at past
 * instants: new in the queue, assigned, waiting for the customer, resolved awaiting the survey, closed
 * by a survey or by the survey window, reopened and resolved again, one major with its escalation
 * report, one whose first response was late (breached), one waiting for a manager's approval.
 */
export function planComplaints(ctx: DemoContext, t: DemoTemplates): void {
  const { db, config, staff } = ctx;
  const cc = config.complaints;
  const { agent1, agent2, advisor1, manager1 } = staff;
  const pool = (storeId: number) => ctx.members.filter((m) => m.storeId === storeId && m.assets.length > 0);
  const [late, h, a, b, c, d, e, f, g] = pool(1).slice(-9);
  const [p, s] = pool(2).slice(-2);
  const day = (daysAgo: number, time: string) => on(addCalendarDays(ctx.today, -daysAgo), time);
  const ago = (minutes: number) => plusMinutes(ctx.now, -minutes);

  // the service team is on duty in both stores from the first day; nobody serves the technical team, so its complaints wait in the queue
  ctx.timeline.add(on(ctx.firstDay, "08:00"), async (at) => {
    for (const agent of [agent1, agent2]) await db.tx((m) => setDuty(m, agent, { onDuty: true, team: "service" }, at));
  });

  const byMember = (member: SeededMember, input: Omit<ComplaintInput, "storeId" | "assetId">) => (at: Date) =>
    fileMemberComplaint(db, cc, member.id, { ...input, storeId: member.storeId, assetId: member.assets[0].id }, at, "miniprogram", `demo-${member.id}-${at.getTime()}`);
  const byStaff = (who: StaffPrincipal, input: StaffIntakeInput) => (at: Date) => fileStaffComplaint(db, cc, who, input, at, `demo-staff-${at.getTime()}`);
  const script = (filedAt: Date, file: (at: Date) => Promise<Complaint>, steps: Step[] = []) => {
    let id = 0;
    ctx.timeline.add(filedAt, async (at) => void (id = (await file(at)).id));
    for (const [after, run, stamp] of steps) ctx.timeline.add(plusMinutes(filedAt, after), async (at) => void (id && (await run(at, id))), stamp);
  };
  const reply = (who: StaffPrincipal, body: string, waitForCustomer = false) => (at: Date, id: number) => db.tx((m) => replyAsStaff(m, cc, who, id, { body, waitForCustomer }, at));
  const take = (who: StaffPrincipal) => (at: Date, id: number) => db.tx((m) => takeFromQueue(m, who, at, id));
  const resolve = (who: StaffPrincipal, body: Parameters<typeof resolveComplaint>[4]) => (at: Date, id: number) => db.tx((m) => resolveComplaint(m, config, who, id, body, at));
  const visit = (who: StaffPrincipal, method: "call" | "message", note: string) => (at: Date, id: number) => db.tx((m) => recordReturnVisit(m, who, id, { method, outcome: method === "call" ? "reached" : "messaged", note }, at));
  const survey = (member: SeededMember, rating: number, solved: boolean, comment: string) => (at: Date, id: number) => db.tx((m) => answerSurvey(m, cc, member.id, id, { rating, solved, comment }, at));

  // last month's: two closed cases, so the reports' trend has more than one period
  script(day(50, "10:00"), byMember(s, { category: "price", demand: "explanation", content: "年检代办收费比去年高了，想知道多出来的是什么费用。" }), [
    [90, reply(agent2, "您好，今年起代办包含尾气复检的往返费用，明细已发送给您。")],
    [20 * 60, resolve(agent2, { investigation: report("代办费项目调整未提前告知。", "收费合规，告知不足。"), reply: "已为您说明费用构成，门店将在预约时提前告知代办费明细。" })],
    [30 * 60, survey(s, 3, true, "解释清楚了，但希望提前说")],
  ]);
  script(day(44, "15:30"), byMember(c, { category: "service_attitude", demand: "apology", content: "电话咨询保养价格时接线员语气很不耐烦。" }), [
    [30, reply(agent1, "非常抱歉给您带来不好的体验，我们已核实通话录音并对接线员进行了提醒。")],
    [6 * 60, resolve(agent1, { investigation: report("高峰时段接线员情绪管理不到位。", "服务态度问题属实。"), reply: "已向您致歉，接线员已接受服务规范辅导。" })],
    [24 * 60, survey(c, 5, true, "态度很诚恳")],
  ]);
  // closed: a coupon within the agent's limit, the return visit, a 5-star survey
  script(day(30, "10:20"), byMember(a, { category: "waiting_time", demand: "apology", content: "预约了上午 10 点保养，到店后等了一个多小时才开始施工，前台也没有主动说明原因。" }), [
    [40, reply(agent1, "您好，非常抱歉让您久等。我们已核实当天工位排程出现延误，稍后顾问会致电向您说明。")],
    [26 * 60, resolve(agent1, { investigation: report("当日上午前一台维修车辆超时占用工位，排程未及时调整。", "情况属实，门店排程与告知不到位。"), reply: "经核实是排程衔接问题，已向您致歉，并为您发放 50 元代金券，下次保养可直接使用。", compensation: { type: "coupon", templateId: t.care50 } })],
    [49 * 60, visit(agent1, "call", "客户表示理解，已收到代金券。")],
    [50 * 60, survey(a, 5, true, "处理很及时，谢谢")],
  ]);
  // closed: waited for the customer's answer, points as compensation, 4 stars
  script(day(21, "15:05"), byMember(p, { category: "service_attitude", demand: "explanation", content: "交车时顾问态度冷淡，问保养项目也不耐烦解释，希望门店给个说法。", staffId: staff.advisor2.id }), [
    [120, reply(agent2, "您好，已收到您的反馈。请问您方便告知交车的具体时间吗？我们调取监控核实。", true)],
    [22 * 60, (at, id) => db.tx((m) => replyAsMember(m, cc, p.id, id, { body: "大概是下午四点半左右。" }, at))],
    [24 * 60, (at, id) => db.tx((m) => addNote(m, agent2, id, "已调监控，顾问当时同时接待三位客户，沟通确有不到位。", at))],
    [46 * 60, resolve(agent2, { investigation: report("高峰时段顾问同时接待多位客户，交车说明过于简略。", "服务态度问题属实。"), reply: "已与当班顾问面谈并安排服务礼仪复训，赠送您 300 积分表示歉意。", compensation: { type: "points", points: 300 } }), true],
    [70 * 60, visit(agent2, "message", "已发送回访消息。")],
    [75 * 60, survey(p, 4, true, "态度改善了，希望保持")],
  ]);
  // closed by the survey window: a phone complaint of a caller who is not a member
  script(day(20, "11:30"), byStaff(agent1, { channel: "phone", category: "price", demand: "explanation", content: "朋友在店里做的钣金喷漆报价比外面高不少，想了解收费标准。", callerName: "钱先生", callerPhone: "13600002222", storeId: 1 }), [
    [30, reply(agent1, "钱先生您好，已将钣喷收费标准和配件价格明细整理好，稍后短信发送给您。")],
    [24 * 60, resolve(agent1, { investigation: report("客户对比的是非原厂漆料报价。", "收费符合公示标准，属解释不充分。"), reply: "已向您说明原厂漆料与工时标准，感谢您的监督。" })],
  ]);
  // reopened by an unhappy survey, then resolved again and closed
  script(day(14, "09:40"), byMember(b, { category: "repair_quality", demand: "repair", content: "上周刚换的刹车片，开了两天就有明显异响，怀疑没有装好。" }), [
    [50, take(agent1)],
    [70, reply(agent1, "您好，已安排技术主管复查，请您方便时到店，我们优先安排工位。")],
    [2 * 24 * 60, resolve(agent1, { investigation: report("刹车片安装后未做磨合调整。", "施工工艺问题。"), reply: "已为您重新调整并做路试，异响消除。" })],
    [3 * 24 * 60, survey(b, 2, false, "还是有一点响")],
    [3 * 24 * 60 + 90, reply(agent1, "非常抱歉，已约您明天上午到店，由技术主管亲自处理。")],
    [5 * 24 * 60, resolve(agent1, { investigation: report("刹车卡钳导向销润滑不足。", "首次处理未找到根本原因。"), reply: "已更换导向销并润滑，经两次路试确认无异响。" })],
    [6 * 24 * 60, survey(b, 4, true, "这次好了")],
  ]);
  // closed: a walk-in complaint the advisor took in and kept (首问负责)
  script(day(10, "14:15"), byStaff(advisor1, { channel: "walk_in", category: "waiting_time", demand: "apology", content: "洗车等了 40 分钟还没开始，客户在休息区表达不满。", memberCode: c.memberCode }), [
    [20, reply(advisor1, "已为您优先安排洗车，并送上饮品，耽误您的时间非常抱歉。")],
    [3 * 60, resolve(advisor1, { investigation: report("洗车工位临时缺员。", "等待时间过长属实。"), reply: "已优先完成洗车，门店将增加高峰时段人手。" })],
    [26 * 60, visit(advisor1, "call", "客户满意。")],
    [27 * 60, survey(c, 5, true, "顾问处理得很好")],
  ]);
  // waiting for a manager: the agent asks for a coupon above their limit
  script(day(6, "16:00"), byMember(d, { category: "parts", demand: "compensation", content: "更换的大灯总成装上一周就起雾，耽误了我两次用车，要求补偿。" }), [
    [45, take(agent1)],
    [60, reply(agent1, "您好，已确认是配件批次问题，我们会为您免费更换并申请补偿。")],
    [26 * 60, resolve(agent1, { investigation: report("该批次大灯密封胶条存在缺陷，厂家已发布技术通报。", "配件质量问题，责任在供方。"), reply: "已为您免费更换大灯总成，并申请 200 元代金券作为补偿。", compensation: { type: "coupon", templateId: t.care200 } })],
  ]);
  // major (12315, media): the manager files the escalation report in time and takes the case over
  script(day(3, "14:00"), byMember(e, { category: "repair_quality", demand: "return_exchange", content: "新车三个月变速箱已经修了两次还在顿挫，再不解决我就投诉到 12315 并联系媒体曝光，要求换车。" }), [
    [30, take(agent1)],
    [55, reply(agent1, "您好，您的问题已升级为重大投诉，由店总和技术主管共同跟进，今天会与您联系确定检测方案。")],
    [5 * 60, (at, id) => db.tx((m) => fileEscalation(m, manager1, id, { summary: "客户新车变速箱两次维修后仍顿挫，要求换车并提及 12315 与媒体。", risk: "存在媒体曝光与消协投诉风险，可能影响品牌口碑。", plan: "厂家技术专家明日到店联合诊断，必要时申请厂家换件或置换政策。" }, at))],
    [5 * 60 + 10, (at, id) => db.tx((m) => handOver(m, agent1, id, { toStaffId: manager1.id, note: "重大投诉，由店总亲自跟进" }, at))],
    [24 * 60, reply(manager1, "厂家技术专家已到店完成诊断，初步判断为阀体问题，正在申请更换总成，进展会及时告知您。")],
  ]);
  // breached: the first response came after its 24 hours
  script(day(4, "09:30"), byMember(late, { category: "booking", demand: "explanation", content: "小程序预约了周六上午的保养，到店却说没有我的预约，白跑一趟。" }), [
    [30 * 60, reply(agent1, "非常抱歉回复晚了。经查是门店当天临时调整工位，未及时通知您，我们已为您重新预约。")],
  ]);
  // resolved two days ago, the member has not answered the survey yet
  script(day(3, "10:10"), byMember(s, { category: "other", demand: "explanation", content: "会员积分和上次消费金额对不上，麻烦核实一下。" }), [
    [90, reply(agent2, "您好，积分按实付金额计算，代金券抵扣部分不计积分，明细已发到您的消息中。")],
    [28 * 60, resolve(agent2, { investigation: report("客户按订单原价估算积分。", "积分计算无误，属规则解释问题。"), reply: "已为您逐笔核对积分明细，计算无误，感谢您的耐心。" })],
  ]);
  // waiting for the customer: the clock stands still
  script(day(2, "11:00"), byMember(f, { category: "price", demand: "refund", content: "保养结算单上多了一项发动机清洗，我没有同意过这个项目。" }), [
    [60, reply(agent1, "您好，请您提供结算单照片或单号，我们核对施工授权记录。", true)],
  ]);
  // assigned to the on-duty agent, not answered yet
  script(ago(180), byMember(g, { category: "service_attitude", demand: "apology", content: "电话预约时客服直接挂断电话，体验很差。" }));
  // new in the queue: the technical team has nobody on duty
  script(ago(95), byMember(h, { category: "repair_quality", demand: "repair", content: "空调保养后出风口有异味，开一会儿就头晕。" }));
}
