import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import type { WechatClient } from "../auth/wechat-client.js";
import type { StaffRole } from "../staff/staff.entity.js";

/** What every request can reach: set once on app.context by createApp(). */
export interface AppDeps {
  config: Config;
  db: Database;
  wechat: WechatClient;
  logger: Logger;
  /** the time every notification route and job reads; tests move it */
  clock: () => Date;
}

export interface MemberPrincipal {
  id: number;
}

export interface StaffPrincipal {
  id: number;
  username: string;
  name: string;
  role: StaffRole;
  /** null: all stores */
  storeId: number | null;
}

declare module "koa" {
  interface DefaultContext {
    deps: AppDeps;
  }
  interface DefaultState {
    requestId: string;
    log: Logger;
    member?: MemberPrincipal;
    staff?: StaffPrincipal;
    bot?: { account: string };
  }
}
