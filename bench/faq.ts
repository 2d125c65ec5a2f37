// npm run bench -- faq — times the FAQ matcher on a 500-FAQ knowledge base synthesized from templates
// (subjects × question kinds, each with alternates and an answer), with 2 000 questions phrased
// differently from the KB plus out-of-scope ones. Pure CPU: no database.
import { FaqMatcher, type FaqEntry } from "../server/faq/matcher.js";

const SUBJECTS = [
  "空调", "冰箱", "洗衣机", "热水器", "油烟机", "燃气灶", "洗碗机", "电视", "净水器", "扫地机器人",
  "微波炉", "烤箱", "电饭煲", "空气净化器", "除湿机", "新风系统", "地暖", "壁挂炉", "电梯", "门禁",
  "车位", "物业费", "快递柜", "车辆保养", "轮胎", "蓄电池", "刹车片", "机油", "雨刮", "空调滤芯",
];
const KINDS: { q: string; alternates: string[]; answer: string; asks: string[] }[] = [
  { q: "{s}坏了怎么报修？", alternates: ["{s}维修", "{s}出故障了"], answer: "{s}报修请在小程序提交工单，工程师 2 小时内联系您。", asks: ["我家{s}不工作了找谁修", "{s}有毛病了能派人来看看吗"] },
  { q: "{s}保修多久？", alternates: ["{s}质保期", "{s}三包"], answer: "{s}整机保修 1 年，主要部件 3 年。", asks: ["{s}过保了吗", "{s}的质保是几年"] },
  { q: "{s}维修怎么收费？", alternates: ["{s}维修价格", "修{s}多少钱"], answer: "{s}保内免费，保外按统一价目表收费。", asks: ["修一次{s}要花多少钱", "{s}修理贵不贵"] },
  { q: "{s}怎么预约安装？", alternates: ["{s}上门安装", "装{s}"], answer: "{s}安装可在小程序预约，首次安装免费。", asks: ["{s}谁来装", "新买的{s}什么时候能装好"] },
  { q: "{s}怎么清洗？", alternates: ["{s}清洁服务", "{s}深度清洗"], answer: "{s}清洗可预约上门，会员 9 折。", asks: ["{s}脏了能上门洗吗", "{s}清洁要多少钱"] },
  { q: "{s}可以以旧换新吗？", alternates: ["旧{s}回收", "{s}折价"], answer: "旧{s}可折价 100–500 元抵扣新机。", asks: ["老{s}你们收不收", "旧{s}能抵多少钱"] },
  { q: "{s}显示故障代码怎么办？", alternates: ["{s}报错", "{s}屏幕出现代码"], answer: "{s}故障代码可在小程序自查，断电重启后仍出现请报修。", asks: ["{s}一直显示E1", "{s}屏幕报错代码是什么意思"] },
  { q: "{s}配件在哪买？", alternates: ["{s}原厂配件", "{s}零件价格"], answer: "{s}配件均为原厂正品，价格可在小程序查询。", asks: ["{s}的零件贵吗", "哪里能买到{s}原装配件"] },
  { q: "{s}可以延保吗？", alternates: ["{s}延长保修", "{s}续保"], answer: "{s}购机 1 年内可购买 2–3 年延保。", asks: ["{s}保修到期还能续吗", "{s}延保怎么买"] },
  { q: "{s}使用说明在哪看？", alternates: ["{s}说明书", "{s}怎么用"], answer: "{s}电子说明书在小程序“我的产品”中查看。", asks: ["{s}说明书丢了", "不会用{s}"] },
  { q: "{s}退换货政策是什么？", alternates: ["{s}退货", "{s}换货"], answer: "{s}签收 7 天内可无理由退货，15 天内故障可换货。", asks: ["{s}不想要了能退吗", "{s}刚买就坏了能换吗"] },
  { q: "{s}上门服务几点到？", alternates: ["{s}师傅什么时候来", "{s}上门时间"], answer: "{s}上门服务市区 24 小时内到达，工程师会提前电话联系。", asks: ["修{s}的师傅几点来", "{s}报修后多久上门"] },
  { q: "{s}投诉找谁？", alternates: ["投诉{s}服务", "{s}服务不满意"], answer: "{s}服务投诉请在小程序提交，24 小时内回电。", asks: ["{s}维修态度差要投诉", "对{s}的服务不满意"] },
  { q: "{s}有优惠活动吗？", alternates: ["{s}优惠券", "{s}打折"], answer: "{s}会员专享优惠券请在券包领取。", asks: ["{s}现在有折扣吗", "买{s}有券吗"] },
  { q: "{s}积分怎么算？", alternates: ["{s}消费积分", "{s}送积分"], answer: "{s}消费 1 元积 1 分。", asks: ["买{s}给积分吗", "{s}消费能攒分吗"] },
  { q: "{s}发票怎么开？", alternates: ["{s}电子发票", "{s}开票"], answer: "{s}电子发票在订单中申请，3 个工作日内发送。", asks: ["{s}能开公司抬头的票吗", "{s}的发票多久能收到"] },
  { q: "{s}有哪些型号？", alternates: ["{s}型号对比", "{s}推荐"], answer: "{s}在售型号可在小程序商城查看对比。", asks: ["{s}哪款好", "{s}选哪个型号"] },
];
const OUT_OF_SCOPE = ["今天天气怎么样", "讲个笑话", "股票明天会涨吗", "帮我订机票", "附近有什么好吃的", "世界杯谁赢了", "我想学英语", "你是机器人吗"];

function synthesize(count: number): { faqs: FaqEntry[]; asks: { q: string; id: string }[] } {
  const faqs: FaqEntry[] = [];
  const asks: { q: string; id: string }[] = [];
  const fill = (t: string, s: string) => t.replaceAll("{s}", s);
  for (let i = 0; faqs.length < count; i++) {
    const s = SUBJECTS[i % SUBJECTS.length];
    const kind = KINDS[Math.floor(i / SUBJECTS.length) % KINDS.length];
    faqs.push({ id: `faq_${i}`, question: fill(kind.q, s), alternates: kind.alternates.map((a) => fill(a, s)), answer: fill(kind.answer, s) });
    asks.push(...kind.asks.map((a) => ({ q: fill(a, s), id: `faq_${i}` })));
  }
  return { faqs, asks };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Prints the build time and the median and p99 time of one match, in ms. */
export async function benchFaq(): Promise<void> {
  const { faqs, asks } = synthesize(500);
  const began = performance.now();
  const matcher = FaqMatcher.build(faqs);
  const buildMs = performance.now() - began;
  const questions = [...asks, ...OUT_OF_SCOPE.map((q) => ({ q, id: null }))];
  for (const { q } of questions.slice(0, 200)) matcher.match(q); // warm-up: JIT, jieba's caches
  const times: number[] = [];
  let right = 0;
  let wronglyAnswered = 0;
  for (let round = 0; round < 2; round++) {
    for (const { q, id } of questions) {
      const t0 = performance.now();
      const result = matcher.match(q);
      times.push(performance.now() - t0);
      const answered = result.kind === "answer" ? result.faq.id : null;
      if (round === 0 && answered !== null) answered === id ? right++ : wronglyAnswered++;
    }
  }
  times.sort((a, b) => a - b);
  console.log(`FAQ matcher, ${faqs.length} FAQs (${faqs.length * 3} phrasings): index built in ${buildMs.toFixed(0)} ms`);
  console.log(`${times.length} matches: median ${percentile(times, 0.5).toFixed(3)} ms   p99 ${percentile(times, 0.99).toFixed(3)} ms   max ${times[times.length - 1].toFixed(2)} ms   (right ${right}/${asks.length}, wrong or out of scope answered ${wronglyAnswered})`);
}
