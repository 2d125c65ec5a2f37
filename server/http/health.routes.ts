import { checkReadiness } from "../db/readiness.js";
import { AppError } from "./app-error.js";
import { ApiRoutes } from "./routes.js";

/** Liveness (the process answers) and readiness (the database answers; on Galera, the node is synced and takes writes). */
export const healthRoutes = () =>
  new ApiRoutes("", "运维")
    .add({ method: "get", path: "/healthz", summary: "存活检查", access: "public" }, async () => ({ status: "ok" }))
    .add({ method: "get", path: "/readyz", summary: "就绪检查（含数据库；Galera 节点须已同步且可写）", access: "public" }, async (ctx) => {
      const readiness = await checkReadiness(ctx.deps.db);
      if (!readiness.ready) {
        ctx.state.log.warn({ readiness }, "readiness check failed");
        throw new AppError("DB_UNAVAILABLE", "数据库不可用", readiness);
      }
      return { status: "ready", database: readiness.database, ...(readiness.galera ? { galera: readiness.galera } : {}) };
    });
