import type { TokenStore } from "../auth/wechat-client.js";
import type { Database } from "../db/database.js";
import { WechatToken } from "./notify.entity.js";

/** WeChat's access token in the database with its expiry, so every instance uses the same one. */
export function databaseTokenStore(db: Database): TokenStore {
  return {
    async get() {
      const row = await db.read((m) => m.findOneBy(WechatToken, { name: "access_token" }));
      return row ? { value: row.token, expiresAt: row.expiresAt.getTime() } : null;
    },
    async put(token) {
      await db.tx((m) => m.upsert(WechatToken, { name: "access_token", token: token.value, expiresAt: new Date(token.expiresAt) }, ["name"]));
    },
  };
}
