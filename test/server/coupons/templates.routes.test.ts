import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../server/audit/audit.entity.js";
import { Coupon } from "../../../server/coupons/coupons.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";

describe.each(DATABASE_KINDS)("editing, pausing and deleting coupon templates on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  let storeManager: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", null)).auth;
    storeManager = (await s.loginStaff("manager", 2)).auth;
  });
  afterAll(() => s.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager).send({ name: "洗车券", kind: "cash", valueFen: 2000, validDays: 30, totalStock: 10, channel: "claim", ...body });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const edit = (id: number, body: Record<string, unknown>, auth = manager) => s.http.patch(`/api/v1/staff/coupon-templates/${id}`).set("Authorization", auth).send(body);
  const claimBy = async (id: number, n: number) => {
    for (const member of await createMembers(s, n, `tc${id}k${kind}`)) await s.http.post(`/api/v1/coupons/templates/${id}/claim`).set("Authorization", member.auth).expect(201);
  };
  const auditOf = (id: number) => s.t.db.read((m) => m.find(AuditLog, { where: { targetType: "coupon_template", targetId: id }, order: { id: "ASC" } }));

  it("raises and lowers the stock, never below what is issued: that is a 409 with the issued count in Chinese", async () => {
    const id = await create();
    await claimBy(id, 3);
    expect((await edit(id, { totalStock: 50 }).expect(200)).body).toMatchObject({ totalStock: 50, issuedCount: 3, remainingStock: 47 });
    const below = await edit(id, { totalStock: 2 });
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({ code: "COUPON_STOCK_BELOW_ISSUED", message: "总库存不能少于已发出的 3 张", details: { issuedCount: 3, totalStock: 2 } });
    expect((await edit(id, { totalStock: 3 }).expect(200)).body.remainingStock).toBe(0);
    const [member] = await createMembers(s, 1, `tco${kind}`);
    expect((await s.http.post(`/api/v1/coupons/templates/${id}/claim`).set("Authorization", member.auth)).body.error.code).toBe("COUPON_OUT_OF_STOCK");
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["coupon_template.created", "coupon_template.updated", "coupon_template.updated"]);
    expect(JSON.parse(audit[1].detail)).toMatchObject({ fields: ["totalStock"], totalStockBefore: 10, totalStock: 50 });
  });

  it("changes name, validity, limit and tiers at any time; the offer and channel only before the first coupon is issued", async () => {
    const id = await create({ perMemberLimit: 2 });
    const fresh = await edit(id, { kind: "threshold", valueFen: 5000, thresholdFen: 30000 }).expect(200);
    expect(fresh.body).toMatchObject({ kind: "threshold", valueFen: 5000, thresholdFen: 30000 });
    await claimBy(id, 1);
    const renamed = await edit(id, { name: "满300减50", validFrom: "2026-01-01T00:00:00.000Z", validTo: "2027-01-01T00:00:00.000Z", perMemberLimit: 1, tierCodes: ["gold"] }).expect(200);
    expect(renamed.body).toMatchObject({ name: "满300减50", validDays: null, validTo: "2027-01-01T00:00:00.000Z", perMemberLimit: 1, tierCodes: ["gold"] });
    expect((await edit(id, { tierCodes: null, perMemberLimit: null }).expect(200)).body).toMatchObject({ tierCodes: null, perMemberLimit: null });
    for (const body of [{ valueFen: 100 }, { channel: "exchange", pointsCost: 100 }, { kind: "cash" }]) {
      const refused = await edit(id, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("COUPON_TEMPLATE_ISSUED");
      expect(refused.body.error.message).toContain("已发出 1 张券");
    }
    // a limit added after coupons went out would not count them
    expect((await edit(id, { perMemberLimit: 1 })).body.error.code).toBe("COUPON_TEMPLATE_ISSUED");
    // sending the offer unchanged is no change
    await edit(id, { kind: "threshold", valueFen: 5000, name: "满300减50元" }).expect(200);
    const coupon = await s.t.db.read((m) => m.findOneByOrFail(Coupon, { templateId: id }));
    expect(coupon.status).toBe("available");
  });

  it("checks an edit by the rules of a new template, and refuses bad input with a 4xx", async () => {
    const id = await create();
    expect((await edit(id, { perMemberLimit: 11 })).body.error).toMatchObject({ code: "COUPON_TEMPLATE_INVALID", details: { field: "perMemberLimit" } });
    expect((await edit(id, { kind: "percent" })).body.error).toMatchObject({ code: "COUPON_TEMPLATE_INVALID", details: { field: "percentOff" } });
    expect((await edit(id, { tierCodes: ["nosuch"] })).body.error.code).toBe("COUPON_TEMPLATE_INVALID");
    for (const body of [{}, { totalStock: 0 }, { issuedCount: 0 }, { storeId: 1 }, { name: "" }]) expect((await edit(id, body)).status).toBe(400);
    expect((await edit(99_999, { name: "无" })).status).toBe(404);
    // a store manager may not change an all-store template
    expect((await edit(id, { name: "改名" }, storeManager)).body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    const advisor = (await s.loginStaff("advisor", 1)).auth;
    expect((await edit(id, { name: "改名" }, advisor)).status).toBe(403);
  });

  it("pauses (停用) and resumes a template, with audit rows; paused it issues nothing, issued coupons stay valid", async () => {
    const id = await create();
    await claimBy(id, 1);
    await s.http.post(`/api/v1/staff/coupon-templates/${id}/pause`).set("Authorization", manager).expect(200);
    const [member] = await createMembers(s, 1, `tcp${kind}`);
    expect((await s.http.post(`/api/v1/coupons/templates/${id}/claim`).set("Authorization", member.auth)).body.error.code).toBe("COUPON_TEMPLATE_PAUSED");
    expect((await s.t.db.read((m) => m.findOneByOrFail(Coupon, { templateId: id }))).status).toBe("available");
    await s.http.post(`/api/v1/staff/coupon-templates/${id}/resume`).set("Authorization", manager).expect(200);
    await s.http.post(`/api/v1/coupons/templates/${id}/claim`).set("Authorization", member.auth).expect(201);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["coupon_template.created", "coupon_template.paused", "coupon_template.active"]);
  });

  it("deletes only a template that never issued a coupon", async () => {
    const unused = await create();
    expect((await s.http.delete(`/api/v1/staff/coupon-templates/${unused}`).set("Authorization", manager).expect(200)).body).toEqual({ id: unused, deleted: true });
    expect((await s.http.get("/api/v1/staff/coupon-templates").set("Authorization", manager)).body.some((t: { id: number }) => t.id === unused)).toBe(false);
    expect((await auditOf(unused)).map((a) => a.action)).toEqual(["coupon_template.created", "coupon_template.deleted"]);
    expect((await s.http.delete(`/api/v1/staff/coupon-templates/${unused}`).set("Authorization", manager)).status).toBe(404);
    const used = await create();
    await claimBy(used, 1);
    const refused = await s.http.delete(`/api/v1/staff/coupon-templates/${used}`).set("Authorization", manager);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "COUPON_TEMPLATE_ISSUED", message: expect.stringContaining("不能删除") });
  });
});
