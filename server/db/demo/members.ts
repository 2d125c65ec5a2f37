import type { EntityManager } from "typeorm";
import { Asset, AssetArchive } from "../../assets/assets.entity.js";
import { newMemberCode, randomCode } from "../../members/member-code.js";
import { Member } from "../../members/members.entity.js";
import type { DemoCar } from "./people.js";

export interface MemberSpec {
  openid: string;
  nickname: string;
  phone: string | null;
  birthday: string | null;
  gender: "male" | "female" | "unknown";
  storeId: number;
  cars: DemoCar[];
}

/** Saves a demo member with their cars and each car's archive (档案), as registration and adding a car leave them. */
export async function saveDemoMember(m: EntityManager, spec: MemberSpec, at: Date): Promise<{ member: Member; assets: Asset[] }> {
  const member = await m.save(
    m.create(Member, { openid: spec.openid, unionid: null, memberCode: newMemberCode(), nickname: spec.nickname, phone: spec.phone, birthday: spec.birthday, gender: spec.gender, storeId: spec.storeId, assetCount: spec.cars.length, createdAt: at, updatedAt: at }),
  );
  const assets: Asset[] = [];
  for (const car of spec.cars) {
    const asset = await m.save(m.create(Asset, { ...car, memberId: member.id, kind: "car", activePlate: car.plate, createdAt: at, updatedAt: at, removedAt: null, lastServiceAt: null, nextDueDate: null, nextDueMileage: null }));
    await m.save(m.create(AssetArchive, { assetId: asset.id, archiveNo: `DA${randomCode(14)}`, createdAt: at }));
    assets.push(asset);
  }
  return { member, assets };
}
