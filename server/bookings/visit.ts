import { In, type EntityManager } from "typeorm";
import { AppError } from "../http/app-error.js";
import { ServiceBay, ServiceType, type BayKind } from "../stores/stores.entity.js";

/** Capacity is counted in 30-minute segments of a bay. */
export const SLOT_MINUTES = 30;

export interface Visit {
  services: ServiceType[];
  bayKind: BayKind;
  /** bay time of all services together, rounded up to whole segments */
  durationMinutes: number;
  pickup: boolean;
  repair: boolean;
}

/** What one visit for these services needs: the bay kind (lift if any service needs one) and the combined duration. */
export async function planVisit(m: EntityManager, serviceIds: number[]): Promise<Visit> {
  const unique = [...new Set(serviceIds)];
  const services = await m.findBy(ServiceType, { id: In(unique), active: true });
  if (services.length !== unique.length) throw new AppError("SERVICE_UNKNOWN", "所选服务项目不存在或已停用", { serviceIds: unique.filter((id) => !services.some((s) => s.id === id)) });
  const inBay = services.filter((s) => s.bayKind !== null);
  if (inBay.length === 0) throw new AppError("BOOKING_NEEDS_BAY_SERVICE", "上门取送车需要与保养、维修、检测等到店项目一起预约");
  const minutes = inBay.reduce((sum, s) => sum + s.durationMinutes, 0);
  return {
    services,
    bayKind: inBay.some((s) => s.bayKind === "lift") ? "lift" : "inspection",
    durationMinutes: Math.ceil(minutes / SLOT_MINUTES) * SLOT_MINUTES,
    pickup: services.some((s) => s.code === "pickup_delivery"),
    repair: services.some((s) => s.code === "repair"),
  };
}

/** The segment starts a visit from `start` occupies. */
export function segmentsOf(start: Date, durationMinutes: number): Date[] {
  return Array.from({ length: durationMinutes / SLOT_MINUTES }, (_, i) => new Date(start.getTime() + i * SLOT_MINUTES * 60_000));
}

export async function bayCount(m: EntityManager, storeId: number, kind: BayKind): Promise<number> {
  return m.countBy(ServiceBay, { storeId, kind, active: true });
}
