import type { EntityManager } from "typeorm";
import { formatShanghai } from "../http/time.js";
import { enqueue, type NewMessage } from "../notify/outbox.service.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { Store } from "../stores/stores.entity.js";
import { CATEGORIES, type Category } from "./categories.js";
import type { Complaint } from "./complaints.entity.js";

type MessageOf = Omit<NewMessage, "memberId" | "staffId" | "storeId">;

/** Every message about a complaint goes through the outbox, in the transaction of the change that causes it. */
export async function tellMember(m: EntityManager, c: Pick<Complaint, "memberId" | "storeId">, message: MessageOf, now: Date): Promise<void> {
  if (c.memberId !== null) await enqueue(m, { ...message, memberId: c.memberId, storeId: c.storeId }, now);
}

export async function tellStaff(m: EntityManager, staffId: number, storeId: number, message: MessageOf, now: Date): Promise<void> {
  await enqueue(m, { ...message, staffId, storeId }, now);
}

/** The store's managers (and the accounts over every store's managers: none) who hear of a major complaint or a breach; never the accused. */
export async function storeManagers(m: EntityManager, c: Pick<Complaint, "storeId" | "accusedStaffId">): Promise<number[]> {
  const rows = await m.find(StaffAccount, { where: { storeId: c.storeId, role: "manager", disabled: false }, select: { id: true } });
  return rows.map((r) => r.id).filter((id) => id !== c.accusedStaffId);
}

/** The variables every complaint message shares. */
export async function complaintVars(m: EntityManager, c: Pick<Complaint, "id" | "number" | "storeId" | "category">) {
  const store = await m.findOneBy(Store, { id: c.storeId });
  return { complaintId: c.id, number: c.number, storeName: store?.name ?? "门店", categoryName: CATEGORIES[c.category as Category]?.name ?? c.category };
}

export const shortTime = (d: Date) => formatShanghai(d).slice(5);
export const excerpt = (text: string) => ([...text].length > 60 ? `${[...text].slice(0, 60).join("")}…` : text);
