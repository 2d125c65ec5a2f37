import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Asset, AssetArchive } from "../../../server/assets/assets.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const car = (plate: string) => ({ plate, model: "星途 揽月", vinLast6: "ABC123", purchaseDate: "2023-01-15", mileage: 12000 });

describe.each(DATABASE_KINDS)("member assets on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind);
  });
  afterAll(() => s.close());

  const assetCountOf = async (memberId: number) => (await s.t.dataSource.manager.findOneByOrFail(Member, { id: memberId })).assetCount;

  it("adds a car with its archive, lists it and shows it", async () => {
    const { auth } = await s.loginMember("assets-1");
    const created = await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("粤b·12345")).expect(201);
    expect(created.body).toMatchObject({ kind: "car", plate: "粤B12345", vinLast6: "ABC123", model: "星途 揽月", purchaseDate: "2023-01-15", mileage: 12000 });
    expect(created.body.archiveNo).toMatch(/^DA\d{8}[2-9A-Z]{8}$/);
    expect(await s.t.dataSource.manager.countBy(AssetArchive, { assetId: created.body.id })).toBe(1);
    const list = await s.http.get("/api/v1/me/assets").set("Authorization", auth).expect(200);
    expect(list.body).toEqual([created.body]);
    expect((await s.http.get(`/api/v1/me/assets/${created.body.id}`).set("Authorization", auth).expect(200)).body).toEqual(created.body);
  });

  it("accepts a new-energy plate and edits mileage forward only", async () => {
    const { auth } = await s.loginMember("assets-2");
    const created = await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("沪AD12345")).expect(201);
    const moved = await s.http.patch(`/api/v1/me/assets/${created.body.id}`).set("Authorization", auth).send({ mileage: 15000 }).expect(200);
    expect(moved.body.mileage).toBe(15000);
    const back = await s.http.patch(`/api/v1/me/assets/${created.body.id}`).set("Authorization", auth).send({ mileage: 100 });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe("MILEAGE_DECREASED");
  });

  it("gives member B a 404 for member A's asset and leaves it untouched", async () => {
    const a = await s.loginMember("assets-owner");
    const b = await s.loginMember("assets-other");
    const asset = (await s.http.post("/api/v1/me/assets").set("Authorization", a.auth).send(car("浙A11111")).expect(201)).body;
    for (const res of [
      await s.http.get(`/api/v1/me/assets/${asset.id}`).set("Authorization", b.auth),
      await s.http.patch(`/api/v1/me/assets/${asset.id}`).set("Authorization", b.auth).send({ model: "hijacked" }),
      await s.http.delete(`/api/v1/me/assets/${asset.id}`).set("Authorization", b.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    expect((await s.http.get("/api/v1/me/assets").set("Authorization", b.auth)).body).toEqual([]);
    expect((await s.http.get(`/api/v1/me/assets/${asset.id}`).set("Authorization", a.auth).expect(200)).body).toEqual(asset);
  });

  it.each([
    [{ ...car("粤B12345"), mileage: -1 }, "mileage"],
    [{ ...car("粤B12345"), mileage: 10.5 }, "mileage"],
    [{ ...car("粤B12345"), purchaseDate: "2023/01/15" }, "purchaseDate"],
    [{ ...car("粤B12345"), vinLast6: "ABCI23" }, "vinLast6"],
    [{ ...car("粤B12345"), owner: 3 }, "owner"],
    [{ ...car("粤BI2345") }, "plate"],
    [{ ...car("B12345") }, "plate"],
    [{ ...car("粤B12345"), purchaseDate: "2999-01-01" }, "purchaseDate"],
    [{ plate: "粤B12345" }, "model"],
  ])("rejects %j naming the field, and adds nothing", async (body, field) => {
    const { auth, member } = await s.loginMember("assets-bad");
    const res = await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details[0].field).toBe(field);
    expect(await s.t.dataSource.manager.countBy(Asset, { memberId: member.id })).toBe(0);
    expect(await assetCountOf(member.id)).toBe(0);
  });

  it("refuses the same plate twice, and brings a removed car back with its own archive", async () => {
    const { auth, member } = await s.loginMember("assets-dup");
    const first = (await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("苏E12345D")).expect(201)).body;
    const dup = await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("苏E12345D"));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("PLATE_DUPLICATE");
    await s.http.delete(`/api/v1/me/assets/${first.id}`).set("Authorization", auth).expect(204);
    expect((await s.http.get(`/api/v1/me/assets/${first.id}`).set("Authorization", auth)).status).toBe(404);
    expect(await s.t.dataSource.manager.countBy(AssetArchive, { assetId: first.id })).toBe(1);
    const again = await s.http.post("/api/v1/me/assets").set("Authorization", auth).send({ ...car("苏E12345D"), mileage: 15000 }).expect(201);
    expect(again.body).toMatchObject({ id: first.id, archiveNo: first.archiveNo, mileage: 15000 });
    const other = await s.loginMember("assets-dup-buyer");
    const sold = await s.http.post("/api/v1/me/assets").set("Authorization", other.auth).send(car("苏E12345D")).expect(201);
    expect(sold.body.archiveNo).not.toBe(first.archiveNo);
    expect(await assetCountOf(member.id)).toBe(1);
  });

  it("allows at most 5 assets", async () => {
    const { auth, member } = await s.loginMember("assets-five");
    for (let i = 1; i <= 5; i++) await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car(`鲁A1000${i}`)).expect(201);
    const sixth = await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("鲁A10006"));
    expect(sixth.status).toBe(409);
    expect(sixth.body.error).toMatchObject({ code: "ASSET_LIMIT_REACHED", details: { max: 5 } });
    expect(await assetCountOf(member.id)).toBe(5);
  });

  it("keeps the limit of 5 when 60 adds race, and the count matches the rows", async () => {
    const { auth, member } = await s.loginMember("assets-race");
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car(`闽D${String(20000 + i)}`))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === "ASSET_LIMIT_REACHED")).toBe(true);
    expect(await s.t.dataSource.manager.countBy(Asset, { memberId: member.id })).toBe(5);
    expect(await assetCountOf(member.id)).toBe(5);
  });

  it("adds one of 30 racing adds of the same plate", async () => {
    const { auth, member } = await s.loginMember("assets-race-plate");
    const results = await Promise.all(Array.from({ length: 30 }, () => s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("赣A88888"))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === "PLATE_DUPLICATE")).toBe(true);
    expect(await assetCountOf(member.id)).toBe(1);
  });

  it("counts one removal when the same delete races", async () => {
    const { auth, member } = await s.loginMember("assets-race-delete");
    const asset = (await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("湘A12345")).expect(201)).body;
    await s.http.post("/api/v1/me/assets").set("Authorization", auth).send(car("湘A12346")).expect(201);
    const results = await Promise.all(Array.from({ length: 20 }, () => s.http.delete(`/api/v1/me/assets/${asset.id}`).set("Authorization", auth)));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(await assetCountOf(member.id)).toBe(1);
  });
});
