import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextOpenDate } from "../helpers/booking.js";
import { isValidPlate, normalizePlate } from "../../server/assets/plate.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { bookThroughApi, pageTools, typeInto } from "./booking-fixtures.js";
import { memberOf } from "./fixtures.js";

const require = createRequire(import.meta.url);
const BAD_PLATE = "车牌号格式不正确，例如 粤B12345 或新能源 沪AD12345";

describe.each(DATABASE_KINDS)("我的车辆 pages on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  let carId: number;
  const cars = async (auth = member.auth) => (await mp.api.http.get("/api/v1/me/assets").set("authorization", auth)).body as { id: number; plate: string; model: string; mileage: number; nextDueDate: string | null; nextDueMileage: number | null }[];
  const posts = () => mp.wx.requests.filter((r) => r.method === "POST" && r.url.endsWith("/api/v1/me/assets")).length;
  const { render, navigation } = pageTools(() => mp);

  beforeAll(async () => {
    mp = await startMiniprogram(kind);
    member = await memberOf(mp.api, "demo-member-1");
    carId = (await cars())[0].id;
  }, 60_000);
  afterAll(() => mp.close());

  it("lists the member's cars with mileage and maintenance plan, and opens one", async () => {
    const comp = await render("pages/cars/index");
    const text = textOf(comp);
    console.log(text);
    expect(text).toBe("沪A12345星途 揽月 2.0T · 28600 公里下次保养：暂无保养计划添加车辆");
    expect(comp.querySelector("#add").data.disabled).toBe(false);
    expect(await navigation(() => tap(comp, `#car-${carId}`))).toEqual({ kind: "navigateTo", url: `/pages/cars/detail?id=${carId}` });
    expect(await navigation(() => tap(comp, "#add"))).toEqual({ kind: "navigateTo", url: "/pages/cars/edit" });
  });

  it("a member without cars sees the empty state and can add one", async () => {
    mp.loginAs("demo-member-3");
    const comp = await render("pages/cars/index");
    expect(textOf(comp)).toContain("还没有添加车辆，添加后可在线预约保养");
    expect(comp.querySelector("#add").data.disabled).toBe(false);
    mp.loginAs("demo-member-1");
  });

  it("the page's plate rule is the server's (server/assets/plate.ts), so what the page accepts the server's check accepts", () => {
    const page = require(join(mp.root, "pages/cars/plate.js"));
    const samples = ["沪A12345", "粤B·12345", "京a 1234学", "粤Z1234港", "沪AD12345", "沪ADA1234", "沪A12345D", "沪I12345", "沪A1234", "沪A123456", "港A12345", "12345", "沪AO1234", "沪AD1234", "苏E8888挂", ""];
    for (const input of samples) {
      expect(page.normalizePlate(input), input).toBe(normalizePlate(input));
      expect(page.isValidPlate(page.normalizePlate(input)), input).toBe(isValidPlate(normalizePlate(input)));
    }
  });

  it("refuses a bad plate on the page as it is typed (no request), then adds the car with the plate as the server writes it", async () => {
    const comp = await render("pages/cars/edit");
    console.log(textOf(comp));
    expect(comp.querySelector("#save").data.disabled).toBe(true);
    typeInto(comp, "model", "星途 瑶光 C-DM");
    typeInto(comp, "plate", "沪I12345"); // plates have no I
    await until(() => comp.data.plateError, "the plate check");
    expect(textOf(comp)).toContain(BAD_PLATE);
    expect(comp.querySelector("#plate").data.status).toBe("error");
    expect(comp.querySelector("#save").data.disabled).toBe(true);
    typeInto(comp, "plate", "12345");
    await until(() => comp.data.plateError === "车牌应以省份简称开头，例如 沪A12345");
    const before = posts();
    comp.instance.save();
    await until(() => !comp.data.saving);
    expect(posts()).toBe(before);
    typeInto(comp, "vin", "A1234I");
    await until(() => comp.data.vinError, "the VIN check");
    expect(textOf(comp)).toContain("车架号后 6 位应为字母或数字（不含 I、O、Q）");
    typeInto(comp, "vin", "c98765");
    typeInto(comp, "plate", "沪b·67890");
    typeInto(comp, "mileage", "1200");
    await until(() => comp.data.canSave, "a valid form");
    expect(textOf(comp)).not.toContain(BAD_PLATE);
    const opened = await navigation(() => tap(comp, "#save"));
    const added = (await cars()).find((c) => c.plate === "沪B67890")!;
    expect(added).toMatchObject({ model: "星途 瑶光 C-DM", mileage: 1200, vinLast6: "C98765" });
    expect(opened).toEqual({ kind: "redirectTo", url: `/pages/cars/detail?id=${added.id}` });
    expect(mp.wx.toasts).toContain("已添加");
  });

  it("a plate the page accepts may still be refused by the server, whose word is shown", async () => {
    const comp = await render("pages/cars/edit");
    typeInto(comp, "plate", "沪A12345");
    typeInto(comp, "model", "星途 揽月");
    await until(() => comp.data.canSave);
    tap(comp, "#save");
    await until(() => comp.data.failure, "the refusal");
    expect(textOf(comp)).toContain("该车牌（序列号）已在您的名下");
  });

  it("edits a car: the form is filled in, a lower mileage is refused in the server's words, a higher one saved", async () => {
    const comp = await render("pages/cars/edit", { id: String(carId) });
    expect(comp.querySelector("#plate").data.value).toBe("沪A12345");
    expect(comp.querySelector("#mileage").data.value).toBe("28600");
    expect(textOf(comp)).toContain("保存");
    expect(textOf(comp)).toContain("移除车辆");
    typeInto(comp, "mileage", "100");
    await until(() => comp.data.mileage === "100");
    tap(comp, "#save");
    await until(() => comp.data.failure, "the refusal");
    expect(textOf(comp)).toContain("里程不能小于已记录的 28600 公里");
    typeInto(comp, "mileage", "29000");
    typeInto(comp, "model", "星途 揽月 2.0T 四驱");
    await until(() => comp.data.mileage === "29000" && comp.data.model.endsWith("四驱"));
    expect((await navigation(() => tap(comp, "#save"))).kind).toBe("navigateBack");
    expect((await cars()).find((c) => c.id === carId)).toMatchObject({ mileage: 29000, model: "星途 揽月 2.0T 四驱" });
  });

  it("a car's page shows its service history and the next maintenance by date or mileage, with 预约保养", async () => {
    const advisor = (await mp.api.loginStaff("advisor", 1)).auth;
    const booking = await bookThroughApi(mp.api, member.auth, { services: ["maintenance"], date: nextOpenDate(2), time: "09:00", assetId: carId });
    const act = (step: string, body: object = {}) => mp.api.http.post(`/api/v1/staff/bookings/${booking.id}/${step}`).set("authorization", advisor).send(body).expect(200);
    await act("check-in", { mileage: 29500 });
    await act("start");
    await act("ready");
    const items = [
      { name: "更换机油机滤", kind: "labour", amountFen: 50_000 },
      { name: "全合成机油 4L", kind: "part", amountFen: 15_000, quantity: 2 },
    ];
    const done = (await act("complete", { items, mileage: 29600 })).body;
    const car = (await cars()).find((c) => c.id === carId)!;
    const { yuan } = require(join(mp.root, "utils/format.js"));

    const comp = await render("pages/cars/detail", { id: String(carId) });
    const text = textOf(comp);
    console.log(text);
    expect(text).toMatch(/^沪A12345星途 揽月 2.0T 四驱当前里程29600 公里/);
    expect(text).toMatch(/车辆档案号DA\w+/);
    expect(text).toContain(`下次保养${car.nextDueDate} 前或行驶至 ${car.nextDueMileage} 公里（以先到者为准）日期和里程以先到者为准`);
    expect(text).toContain(`星途汽车4S店（浦东店）更换机油机滤、全合成机油 4L ×2`);
    expect(text).toContain(`29600 公里 · 实付 ${yuan(done.record.amountFen)}`);
    expect(text).toContain(`获得 ${done.record.pointsEarned} 积分 · 未评价`);
    const visit = await render("pages/bookings/detail", { id: String(booking.id) });
    expect(textOf(visit)).toMatch(/已完成服务项目保养车辆沪A12345/);
    expect(visit.querySelector("#cancel")).toBeFalsy();
    expect(visit.querySelector("#reschedule")).toBeFalsy();
    expect(await navigation(() => tap(comp, "#book-maintenance"))).toEqual({ kind: "navigateTo", url: `/pages/bookings/new?assetId=${carId}&service=maintenance&storeId=1` });
  });

  it("a car without history says so, and a car that is not the member's shows the server's message", async () => {
    const added = (await cars()).find((c) => c.plate === "沪B67890")!;
    const comp = await render("pages/cars/detail", { id: String(added.id) });
    expect(textOf(comp)).toContain("下次保养暂无保养计划完成一次保养后，门店会为您记录下次保养时间");
    expect(textOf(comp)).toContain("服务记录暂无服务记录");
    const missing = await render("pages/cars/detail", { id: "999999" });
    expect(textOf(missing)).toContain("车辆（设备）不存在");
    expect(missing.querySelector("#retry")).toBeTruthy();
  });

  it("removes a car after the member confirms; its archive stays on the server", async () => {
    const added = (await cars()).find((c) => c.plate === "沪B67890")!;
    const comp = await render("pages/cars/edit", { id: String(added.id) });
    expect((await navigation(() => tap(comp, "#remove"))).kind).toBe("navigateBack");
    expect(mp.wx.modals.at(-1)).toEqual({ title: "移除车辆", content: "移除 沪B67890 后不能再用它预约；车辆档案和服务记录仍会保留。" });
    expect((await cars()).map((c) => c.plate)).toEqual(["沪A12345"]);
  });

  it("with five cars 添加车辆 is disabled and the limit is explained", async () => {
    const other = await memberOf(mp.api, "demo-member-2");
    for (const plate of ["沪AE11111", "沪B22222", "沪C33333", "沪D44444"]) await mp.api.http.post("/api/v1/me/assets").set("authorization", other.auth).send({ plate, model: "星途 凌云" }).expect(201);
    mp.loginAs("demo-member-2");
    const comp = await render("pages/cars/index");
    expect(comp.data.cars).toHaveLength(5);
    expect(comp.querySelector("#add").data.disabled).toBe(true);
    expect(textOf(comp)).toContain("每位会员最多绑定 5 辆车，可先移除不再使用的车辆");
    mp.loginAs("demo-member-1");
  });
});
