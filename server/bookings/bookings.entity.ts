import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import type { BayKind } from "../stores/stores.entity.js";

/** How the booking was made: the member in the mini-program, or staff on the phone or at the desk. */
export type BookingChannel = "miniprogram" | "phone" | "walk_in";

export type BookingStatus = "booked" | "checked_in" | "in_service" | "ready_for_pickup" | "completed" | "cancelled" | "no_show";

@Entity("booking")
@Index("uq_booking_idempotency", ["memberId", "idempotencyKey"], { unique: true })
@Index("idx_booking_store_start", ["storeId", "start"])
@Index("idx_booking_start", ["start"])
@Index("idx_booking_member", ["memberId", "start"])
export class Booking {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  /** shown to members and staff, e.g. BK20261122A7K3 */
  @Index("uq_booking_no", { unique: true })
  @Column({ type: "varchar", length: 24 })
  bookingNo: string;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "int" })
  assetId: number;

  /** comma-separated service type ids */
  @Column({ type: "varchar", length: 100 })
  serviceIds: string;

  @Column({ type: "varchar", length: 16 })
  bayKind: BayKind;

  @Column({ type: "datetime", precision: 3 })
  start: Date;

  @Column({ type: "datetime", precision: 3 })
  end: Date;

  @Column({ type: "varchar", length: 20 })
  status: BookingStatus;

  @Column({ type: "varchar", length: 200, nullable: true })
  note: string | null;

  /** pickup-and-delivery address */
  @Column({ type: "varchar", length: 200, nullable: true })
  address: string | null;

  /** the member's tier benefit paid for the pickup */
  @Column({ type: "boolean" })
  pickupBenefitUsed: boolean;

  @Column({ type: "varchar", length: 100 })
  idempotencyKey: string;

  @Column({ type: "varchar", length: 16, default: "miniprogram" })
  channel: BookingChannel;

  /** the advisor who booked for the member; null when the member booked */
  @Column({ type: "int", nullable: true })
  createdByStaffId: number | null;

  /** "member" or "store" once cancelled */
  @Column({ type: "varchar", length: 16, nullable: true })
  cancelledBy: "member" | "store" | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  cancelReason: string | null;

  @Column({ type: "int", nullable: true })
  technicianId: number | null;

  /** km read at check-in */
  @Column({ type: "int", nullable: true })
  checkInMileage: number | null;

  // The service promises (服务承诺): respond in 2 h, on site in 24 h, fixed in 48 h, arrive ≤ 10 min late.
  @Column({ type: "datetime", precision: 3 })
  respondBy: Date;

  @Column({ type: "datetime", precision: 3 })
  onSiteBy: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  fixBy: Date | null;

  @Column({ type: "datetime", precision: 3 })
  arriveBy: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  respondedAt: Date | null;

  /** our driver at the member's address (pickup) or the car checked in at the store */
  @Column({ type: "datetime", precision: 3, nullable: true })
  arrivedAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  checkedInAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  readyAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  completedAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** Bookings holding one bay kind in one 30-minute segment; `booked` rises only while below the bays. */
@Entity("slot_usage")
@Index("uq_slot_usage", ["storeId", "bayKind", "slotStart"], { unique: true })
export class SlotUsage {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "varchar", length: 16 })
  bayKind: string;

  @Column({ type: "datetime", precision: 3 })
  slotStart: Date;

  @Column({ type: "int" })
  booked: number;
}
