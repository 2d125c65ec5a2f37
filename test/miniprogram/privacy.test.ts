import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { memberOf } from "./fixtures.js";

describe.each(DATABASE_KINDS)("我的数据与隐私 on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  beforeAll(async () => {
    mp = await startMiniprogram(kind);
    member = await memberOf(mp.api, "demo-member-1");
  }, 60_000);
  afterAll(() => mp.close());

  it("lists who read the archive by store, work number and reason, and copies the member's data on 导出我的数据", async () => {
    const empty = mp.render("pages/privacy/index");
    await until(() => !empty.data.list.loading, "the empty log");
    expect(textOf(empty)).toContain("还没有工作人员查阅过您的完整档案");
    const advisor = await mp.api.loginStaff("advisor", 1);
    await mp.api.http.get(`/api/v1/staff/members/${member.id}/archive`).query({ reason: "到店保养核对车辆" }).set("Authorization", advisor.auth).expect(200);

    const comp = mp.render("pages/privacy/index");
    await until(() => !comp.data.list.loading && comp.data.list.items.length, "the access log");
    const text = textOf(comp);
    console.log(text);
    expect(text).toContain(`星途汽车4S店（浦东店） · 工作人员 ${String(advisor.id).padStart(4, "0")}`);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} · 到店保养核对车辆/);
    expect(text).not.toContain("测试advisor");

    tap(comp, "#export");
    await until(() => comp.data.summary, "the export");
    expect(textOf(comp)).toContain("已复制到剪贴板：个人资料，车辆 1 条");
    const copied = JSON.parse(mp.wx.clipboard);
    expect(copied.profile.nickname).toBe("张先生");
    expect(copied.cars[0].plate).toBe("沪A12345");
    expect(copied.accessLog).toHaveLength(1);
  });
});
