import { IsNull, Not, type EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { affectedOf, uniqueViolationOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { randomCode } from "../members/member-code.js";
import { Member } from "../members/members.entity.js";
import { Asset, AssetArchive, type AssetKind } from "./assets.entity.js";
import type { CreateAssetBody, UpdateAssetBody } from "./assets.schema.js";
import { isValidPlate, normalizePlate } from "./plate.js";

/** The odometer only moves forward; staff fix a mistyped reading. */
export function assertMileageForward(asset: Asset, mileage: number): void {
  if (mileage < asset.mileage) throw new AppError("MILEAGE_DECREASED", `里程不能小于已记录的 ${asset.mileage} 公里`, { current: asset.mileage });
}

/** Most assets (cars or appliances) one member may keep. */
export const MAX_ASSETS = 5;

export function toAssetView(asset: Asset, archive: AssetArchive | null) {
  return {
    id: asset.id,
    kind: asset.kind,
    plate: asset.plate,
    vinLast6: asset.vinLast6,
    model: asset.model,
    purchaseDate: asset.purchaseDate,
    mileage: asset.mileage,
    archiveNo: archive?.archiveNo ?? null,
    lastServiceAt: asset.lastServiceAt?.toISOString() ?? null,
    /** next maintenance, whichever comes first */
    nextDueDate: asset.nextDueDate,
    nextDueMileage: asset.nextDueMileage,
    createdAt: asset.createdAt.toISOString(),
    updatedAt: asset.updatedAt.toISOString(),
  };
}

const invalid = (field: string, message: string) =>
  new AppError("VALIDATION_FAILED", message, [{ in: "body", field, rule: "format", message }]);

function checkedPlate(kind: AssetKind, raw: string): string {
  const plate = normalizePlate(raw);
  if (kind === "car" && !isValidPlate(plate)) throw invalid("plate", "车牌号格式不正确，例如 粤B12345 或新能源 沪AD12345");
  if (kind === "appliance" && !/^[A-Z0-9]{4,16}$/.test(plate)) throw invalid("plate", "设备序列号应为 4-16 位字母或数字");
  return plate;
}

function checkPurchaseDate(date: string | undefined): void {
  if (date !== undefined && (date > todayInShanghai() || date < "1980-01-01")) throw invalid("purchaseDate", "购买日期不能晚于今天");
}

async function assertPlateFree(m: EntityManager, memberId: number, plate: string, exceptId?: number) {
  const other = await m.findOneBy(Asset, { memberId, activePlate: plate });
  if (other && other.id !== exceptId) throw new AppError("PLATE_DUPLICATE", "该车牌（序列号）已在您的名下");
}

// A race past assertPlateFree ends at the unique index (memberId, activePlate).
async function withPlateUniqueness<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (uniqueViolationOf(err) !== null) throw new AppError("PLATE_DUPLICATE", "该车牌（序列号）已在您的名下");
    throw err;
  }
}

async function archiveOf(m: EntityManager, assetId: number) {
  return m.findOneBy(AssetArchive, { assetId });
}

/** The member's active assets, oldest first. */
export async function listAssets(m: EntityManager, memberId: number) {
  const assets = await m.find(Asset, { where: { memberId, removedAt: IsNull() }, order: { id: "ASC" } });
  return Promise.all(assets.map(async (a) => toAssetView(a, await archiveOf(m, a.id))));
}

/** One of the member's active assets; another member's asset is simply not found. */
export async function getAsset(m: EntityManager, memberId: number, assetId: number): Promise<Asset> {
  const asset = await m.findOneBy(Asset, { id: assetId, memberId, removedAt: IsNull() });
  if (!asset) throw notFound("车辆（设备）");
  return asset;
}

export async function getAssetView(m: EntityManager, memberId: number, assetId: number) {
  const asset = await getAsset(m, memberId, assetId);
  return toAssetView(asset, await archiveOf(m, asset.id));
}

/** Adds an asset and opens its archive; the member's asset count is raised by a guarded update so the limit holds under races. */
export async function addAsset(db: Database, memberId: number, body: CreateAssetBody) {
  const plate = checkedPlate(body.kind, body.plate);
  checkPurchaseDate(body.purchaseDate);
  return withPlateUniqueness(
    db.tx(async (m) => {
      await assertPlateFree(m, memberId, plate);
      const raised = await m
        .createQueryBuilder()
        .update(Member)
        .set({ assetCount: () => "assetCount + 1" })
        .where("id = :memberId AND assetCount < :max", { memberId, max: MAX_ASSETS })
        .execute();
      if (affectedOf(raised) === 0) throw new AppError("ASSET_LIMIT_REACHED", `每位会员最多绑定 ${MAX_ASSETS} 辆车（台设备）`, { max: MAX_ASSETS });
      const now = new Date();
      const returning = await m.findOne(Asset, { where: { memberId, plate, kind: body.kind, removedAt: Not(IsNull()) }, order: { id: "DESC" } });
      if (returning) {
        // the same car comes back to the same member: one car, one archive, so its history continues
        const mileage = Math.max(returning.mileage, body.mileage ?? 0);
        await m.update(Asset, { id: returning.id, removedAt: Not(IsNull()) }, { removedAt: null, activePlate: plate, model: body.model, vinLast6: body.vinLast6?.toUpperCase() ?? returning.vinLast6, purchaseDate: body.purchaseDate ?? returning.purchaseDate, mileage, updatedAt: now });
        return getAssetView(m, memberId, returning.id);
      }
      const asset = await m.save(
        m.create(Asset, {
          memberId,
          kind: body.kind,
          plate,
          activePlate: plate,
          vinLast6: body.vinLast6?.toUpperCase() ?? null,
          model: body.model,
          purchaseDate: body.purchaseDate ?? null,
          mileage: body.mileage ?? 0,
          createdAt: now,
          updatedAt: now,
          removedAt: null,
          lastServiceAt: null,
          nextDueDate: null,
          nextDueMileage: null,
        }),
      );
      const archive = await m.save(m.create(AssetArchive, { assetId: asset.id, archiveNo: `DA${todayInShanghai(now).replace(/-/g, "")}${randomCode(8)}`, createdAt: now }));
      return toAssetView(asset, archive);
    }),
  );
}

/** Edits an asset; the odometer only moves forward (staff correct mistakes). */
export async function updateAsset(db: Database, memberId: number, assetId: number, body: UpdateAssetBody) {
  checkPurchaseDate(body.purchaseDate);
  return withPlateUniqueness(
    db.tx(async (m) => {
      const asset = await getAsset(m, memberId, assetId);
      const plate = body.plate === undefined ? asset.plate : checkedPlate(asset.kind, body.plate);
      if (plate !== asset.plate) await assertPlateFree(m, memberId, plate, asset.id);
      if (body.mileage !== undefined) assertMileageForward(asset, body.mileage);
      const changes = { ...body, plate, activePlate: plate, vinLast6: body.vinLast6?.toUpperCase() ?? asset.vinLast6, updatedAt: new Date() };
      await m.update(Asset, { id: asset.id }, changes);
      return getAssetView(m, memberId, asset.id);
    }),
  );
}

/** Removes an asset from the member's list; its archive and service history stay. */
export async function removeAsset(db: Database, memberId: number, assetId: number): Promise<void> {
  await db.tx(async (m) => {
    const removed = await m.update(Asset, { id: assetId, memberId, removedAt: IsNull() }, { removedAt: new Date(), activePlate: null });
    if (affectedOf(removed) === 0) throw notFound("车辆（设备）");
    await m
      .createQueryBuilder()
      .update(Member)
      .set({ assetCount: () => "assetCount - 1" })
      .where("id = :memberId AND assetCount > 0", { memberId })
      .execute();
  });
}
