import type { CompleteBody } from "../../service-records/service-records.schema.js";
import type { DemoRandom } from "./random.js";

type Item = CompleteBody["items"][number];
const part = (name: string, amountFen: number, quantity = 1): Item => ({ name, kind: "part", amountFen, quantity });
const labour = (name: string, amountFen: number): Item => ({ name, kind: "labour", amountFen, quantity: 1 });

const REPAIRS: ((r: DemoRandom) => Item[])[] = [
  (r) => [part("前刹车片（原厂）", r.int(68, 98) * 1000), labour("刹车片更换工时", 30000)],
  (r) => [part("12V 蓄电池", r.int(78, 96) * 1000), labour("蓄电池检测更换", 8000)],
  (r) => [part("前悬挂下摆臂衬套", r.int(30, 52) * 1000, 2), labour("底盘异响检修", 60000)],
  (r) => [part("空调压缩机总成", r.int(240, 300) * 1000), part("R1234yf 冷媒", 18000), labour("空调系统维修工时", 80000)],
  (r) => [part("雨刮片（对）", 16800), part("前大灯总成", r.int(180, 260) * 1000), labour("大灯更换及校准", 40000)],
];

/** What the visit was billed: parts and labour in fen, by service (保养, 维修, 检测, 年检代办), petrol or electric. */
export function serviceItems(r: DemoRandom, serviceIds: readonly number[], model: string): Item[] {
  const electric = model.includes("星纪元");
  const items: Item[] = [];
  if (serviceIds.includes(1)) {
    if (electric) items.push(part("空调滤芯", 16800), part("制动液（DOT4）", 22000), labour("三电系统检测及保养工时", 28000));
    else items.push(part("全合成机油 5W-30（4L）", r.int(38, 58) * 1000), part("机油滤清器", 6800), ...(r.chance(0.4) ? [part("空气滤清器", 9800)] : []), labour("常规保养工时", 18000));
  }
  if (serviceIds.includes(2)) items.push(...r.pick(REPAIRS)(r));
  if (serviceIds.includes(3)) items.push(labour("全车安全检测", 15000));
  if (serviceIds.includes(5)) items.push(labour("年检代办服务费", 30000), labour("安全技术检验费", r.int(20, 28) * 1000));
  return items;
}
