import type { EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import { uniqueViolationOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { ServiceType, Store } from "./stores.entity.js";
import type { CreateStoreBody, UpdateStoreBody } from "./stores.schema.js";

const toStoreView = (s: Store) => ({ id: s.id, code: s.code, name: s.name, address: s.address, phone: s.phone, city: s.city, active: s.active });

/** Stores open to members, for the store picker. */
export async function listStores(m: EntityManager) {
  return (await m.find(Store, { where: { active: true }, order: { id: "ASC" } })).map(toStoreView);
}

export async function listServiceTypes(m: EntityManager) {
  const types = await m.find(ServiceType, { where: { active: true }, order: { id: "ASC" } });
  return types.map((t) => ({ id: t.id, code: t.code, name: t.name, durationMinutes: t.durationMinutes }));
}

/** Edits a store's contact details; managers only for their own store. */
export async function updateStore(m: EntityManager, staff: StaffPrincipal, storeId: number, body: UpdateStoreBody) {
  const store = await m.findOneBy(Store, { id: storeId });
  if (!store) throw notFound("门店");
  assertStoreScope(staff, storeId);
  await m.update(Store, { id: storeId }, body);
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "store.updated", targetType: "store", targetId: storeId, detail: { fields: Object.keys(body) } });
  return toStoreView({ ...store, ...body });
}

/** Opens a new store (admins). It takes bookings once a manager sets its hours and bays. */
export async function createStore(m: EntityManager, staff: StaffPrincipal, body: CreateStoreBody) {
  const codeTaken = () => new AppError("VALIDATION_FAILED", "门店编码已存在", [{ in: "body", field: "code", rule: "unique", message: "已存在" }]);
  if (await m.existsBy(Store, { code: body.code })) throw codeTaken();
  // two admins creating the same code at once: the unique index decides, the loser gets the same answer
  const store = await m.save(m.create(Store, { ...body, city: body.city ?? null, active: true, closedOnHolidays: true, createdAt: new Date() })).catch((err) => {
    throw uniqueViolationOf(err) === null ? err : codeTaken();
  });
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "store.created", targetType: "store", targetId: store.id, detail: { code: store.code } });
  return toStoreView(store);
}
