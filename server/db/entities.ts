import { AssetArchive, Asset } from "../assets/assets.entity.js";
import { AuditLog } from "../audit/audit.entity.js";
import { Member } from "../members/members.entity.js";
import { MemberAccessLog } from "../privacy/access-log.entity.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { ServiceType, Store } from "../stores/stores.entity.js";

/** Every entity, listed explicitly (no globs: they break under ESM and bundlers). */
export const ENTITIES = [Store, ServiceType, Member, Asset, AssetArchive, StaffAccount, MemberAccessLog, AuditLog];
