import bcrypt from "bcryptjs";
import type { EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { affectedOf, uniqueViolationOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { formatShanghai } from "../http/time.js";
import { signToken } from "../http/tokens.js";
import { Store } from "../stores/stores.entity.js";
import { StaffAccount, type StaffRole } from "./staff.entity.js";
import type { ChangePasswordBody, CreateStaffBody, StaffLoginBody } from "./staff.schema.js";

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

// Compared against when the username does not exist, so both cases take the same time.
const DUMMY_HASH = bcrypt.hashSync("no-such-account", 10);

export function toStaffView(staff: StaffAccount) {
  return { id: staff.id, username: staff.username, name: staff.name, role: staff.role, storeId: staff.storeId, disabled: staff.disabled };
}

const lockedError = (until: Date) =>
  new AppError("ACCOUNT_LOCKED", `密码错误次数过多，账号已锁定，请于 ${formatShanghai(until)} 后再试`, { lockedUntil: until.toISOString() });

// One guarded statement: count the failure, and on the fifth start a lock and reset the counter.
// Both assignments read the old failedLogins (MySQL evaluates SET left to right, so lockedUntil goes first).
async function countFailure(m: EntityManager, id: number, now: Date): Promise<void> {
  await m
    .createQueryBuilder()
    .update(StaffAccount)
    .set({
      lockedUntil: () => "CASE WHEN failedLogins + 1 >= :max THEN :until ELSE lockedUntil END",
      failedLogins: () => "CASE WHEN failedLogins + 1 >= :max THEN 0 ELSE failedLogins + 1 END",
    })
    .where("id = :id AND (lockedUntil IS NULL OR lockedUntil <= :now)", { id, now })
    .setParameters({ max: MAX_FAILED_LOGINS, until: new Date(now.getTime() + LOCK_MINUTES * 60_000) })
    .execute();
}

/** Staff login: 5 wrong passwords in a row lock the account for 15 minutes. */
export async function loginStaff(db: Database, config: Config, body: StaffLoginBody) {
  const now = new Date();
  const staff = await db.read((m) => m.findOneBy(StaffAccount, { username: body.username }));
  if (!staff) {
    await bcrypt.compare(body.password, DUMMY_HASH);
    throw new AppError("LOGIN_FAILED", "用户名或密码错误");
  }
  if (staff.lockedUntil && staff.lockedUntil > now) throw lockedError(staff.lockedUntil);
  if (!(await bcrypt.compare(body.password, staff.passwordHash))) {
    const after = await db.tx(async (m) => {
      await countFailure(m, staff.id, now);
      return m.findOneByOrFail(StaffAccount, { id: staff.id });
    });
    if (after.lockedUntil && after.lockedUntil > now) throw lockedError(after.lockedUntil);
    throw new AppError("LOGIN_FAILED", "用户名或密码错误", { attemptsLeft: MAX_FAILED_LOGINS - after.failedLogins });
  }
  if (staff.disabled) throw new AppError("ACCOUNT_DISABLED", "账号已停用，请联系管理员");
  await db.tx((m) => m.update(StaffAccount, { id: staff.id }, { failedLogins: 0, lockedUntil: null }));
  const { token, expiresAt } = await signToken(config, { typ: "staff", sub: staff.id, ver: staff.tokenVersion });
  return { token, expiresAt, staff: toStaffView(staff) };
}

async function checkStoreForRole(m: EntityManager, body: CreateStaffBody): Promise<number | null> {
  const storeId = body.storeId ?? null;
  if (body.role === "admin" && storeId !== null) throw new AppError("STAFF_STORE_INVALID", "管理员账号不能绑定门店");
  // an agent without a store answers the group hotline and forwards complaints to the stores' queues
  if (body.role === "advisor" && storeId === null) throw new AppError("STAFF_STORE_INVALID", "服务顾问必须绑定门店");
  if (storeId !== null && !(await m.findOneBy(Store, { id: storeId }))) throw new AppError("STORE_NOT_FOUND", "门店不存在", { storeId });
  return storeId;
}

/** Creates a staff account (admin only); the password is stored as a bcrypt hash. */
export async function createStaff(db: Database, rounds: number, actor: StaffPrincipal | null, body: CreateStaffBody) {
  const passwordHash = await bcrypt.hash(body.password, rounds);
  try {
    return await db.tx(async (m) => {
      const storeId = await checkStoreForRole(m, body);
      if (await m.findOneBy(StaffAccount, { username: body.username })) throw new AppError("USERNAME_TAKEN", "用户名已被占用");
      const staff = await m.save(
        m.create(StaffAccount, { username: body.username, name: body.name, passwordHash, role: body.role, storeId, disabled: false, failedLogins: 0, lockedUntil: null, tokenVersion: 1, createdAt: new Date() }),
      );
      await recordAudit(m, { actorType: actor ? "staff" : "system", actorId: actor?.id ?? null, action: "staff.created", targetType: "staff", targetId: staff.id, detail: { role: staff.role, storeId } });
      return toStaffView(staff);
    });
  } catch (err) {
    if (uniqueViolationOf(err) !== null) throw new AppError("USERNAME_TAKEN", "用户名已被占用");
    throw err;
  }
}

/** Disables or re-enables an account; disabling also revokes every token it holds. */
export async function setStaffDisabled(m: EntityManager, actor: StaffPrincipal, staffId: number, disabled: boolean) {
  if (staffId === actor.id) throw new AppError("FORBIDDEN", "不能停用或启用自己的账号");
  const changed = await m
    .createQueryBuilder()
    .update(StaffAccount)
    .set(disabled ? { disabled: true, tokenVersion: () => "tokenVersion + 1" } : { disabled: false, failedLogins: 0, lockedUntil: null })
    .where("id = :staffId AND disabled = :was", { staffId, was: !disabled })
    .execute();
  const staff = await m.findOneBy(StaffAccount, { id: staffId });
  if (!staff) throw notFound("员工账号");
  if (affectedOf(changed) > 0) {
    await recordAudit(m, { actorType: "staff", actorId: actor.id, action: disabled ? "staff.disabled" : "staff.enabled", targetType: "staff", targetId: staffId });
  }
  return toStaffView(staff);
}

export async function listStaff(m: EntityManager) {
  return (await m.find(StaffAccount, { order: { id: "ASC" } })).map(toStaffView);
}

// A new password ends every session and any lock. The hash is made before the transaction: bcrypt is
// slow on purpose and must not hold the SQLite queue.
async function storePassword(db: Database, actor: StaffPrincipal, staffId: number, passwordHash: string, action: string) {
  await db.tx(async (m) => {
    await m
      .createQueryBuilder()
      .update(StaffAccount)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, tokenVersion: () => "tokenVersion + 1" })
      .where("id = :staffId", { staffId })
      .execute();
    await recordAudit(m, { actorType: "staff", actorId: actor.id, action, targetType: "staff", targetId: staffId });
  });
}

/** A staff member changes their own password after proving the current one; all their sessions end. */
export async function changeOwnPassword(db: Database, rounds: number, actor: StaffPrincipal, body: ChangePasswordBody) {
  const staff = await db.read((m) => m.findOneByOrFail(StaffAccount, { id: actor.id }));
  if (!(await bcrypt.compare(body.currentPassword, staff.passwordHash))) throw new AppError("LOGIN_FAILED", "当前密码不正确");
  await storePassword(db, actor, staff.id, await bcrypt.hash(body.newPassword, rounds), "staff.password.changed");
  return { changed: true };
}

/** An admin sets a new password for someone who forgot theirs (and unlocks the account). */
export async function resetPassword(db: Database, rounds: number, actor: StaffPrincipal, staffId: number, newPassword: string) {
  if (!(await db.read((m) => m.existsBy(StaffAccount, { id: staffId })))) throw notFound("员工账号");
  await storePassword(db, actor, staffId, await bcrypt.hash(newPassword, rounds), "staff.password.reset");
  return toStaffView(await db.read((m) => m.findOneByOrFail(StaffAccount, { id: staffId })));
}

const ROLE_NAMES: Record<StaffRole, string> = { advisor: "服务顾问", agent: "客服", manager: "经理", admin: "管理员" };

/** The active colleagues a hand-over can go to: the store's staff and those who serve every store. */
export async function listColleagues(m: EntityManager, staff: StaffPrincipal, storeId: number) {
  const rows = await m.createQueryBuilder(StaffAccount, "s").where("s.disabled = :off", { off: false }).andWhere("(s.storeId = :storeId OR s.storeId IS NULL)", { storeId }).orderBy("s.role", "ASC").addOrderBy("s.id", "ASC").getMany();
  return rows.filter((r) => r.id !== staff.id).map((r) => ({ id: r.id, name: r.name, role: r.role, roleName: ROLE_NAMES[r.role], storeId: r.storeId }));
}
