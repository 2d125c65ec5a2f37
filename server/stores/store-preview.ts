import type { EntityManager } from "typeorm";
import { bookingsOutsideHours, describeAffected, type AffectedBooking } from "../bookings/store-changes.js";
import type { Database } from "../db/database.js";

/** Carries the preview out of the transaction it rolls back. */
class RolledBack extends Error {
  constructor(readonly bookings: AffectedBooking[]) {
    super("preview rolled back");
  }
}

/**
 * Which bookings a change of hours or closures would affect: the change is written in a transaction
 * that is then rolled back, so the answer comes from the very rules the change itself applies.
 */
export async function previewChange(db: Database, storeId: number, write: (m: EntityManager) => Promise<void>, now = new Date()) {
  try {
    await db.tx(async (m) => {
      await write(m);
      throw new RolledBack(await describeAffected(m, await bookingsOutsideHours(m, storeId, now)));
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
    return { count: err.bookings.length, bookings: err.bookings };
  }
  throw new Error("unreachable: the preview transaction always rolls back");
}
