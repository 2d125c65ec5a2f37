import { Asset, AssetArchive } from "../../server/assets/assets.entity.js";
import { todayInShanghai } from "../../server/http/time.js";
import { addCalendarDays, dayKind, shanghaiInstant } from "../../server/stores/calendar.js";
import type { TestApp } from "./app.js";

/** A plain working day (Mon–Sat, no holiday or make-up day) at least `ahead` days from today, when both seeded stores open. */
export function nextOpenDate(ahead = 2, from = new Date()): string {
  for (let date = addCalendarDays(todayInShanghai(from), ahead); ; date = addCalendarDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && dayKind(date) === "normal") return date;
  }
}

/** ISO instant of a Shanghai wall-clock time. */
export const at = (date: string, time: string) => shanghaiInstant(date, time).toISOString();

/** Gives each member a car (with its archive) straight in the database; returns asset ids in order. */
export async function giveCars(s: TestApp, memberIds: number[]): Promise<number[]> {
  const now = new Date();
  const ids: number[] = [];
  for (const [i, memberId] of memberIds.entries()) {
    const plate = `粤B${String(10000 + (memberId % 90000)).slice(-5)}`;
    const asset = await s.t.db.tx((m) =>
      m.save(m.create(Asset, { memberId, kind: "car", plate, activePlate: plate, vinLast6: null, model: "星途 揽月", purchaseDate: "2024-01-01", mileage: 10000 + i, createdAt: now, updatedAt: now, removedAt: null, lastServiceAt: null, nextDueDate: null, nextDueMileage: null })),
    );
    await s.t.db.tx((m) => m.insert(AssetArchive, { assetId: asset.id, archiveNo: `DAT${asset.id}`, createdAt: now }));
    ids.push(asset.id);
  }
  return ids;
}
