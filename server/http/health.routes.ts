import { AppError } from "./app-error.js";
import { ApiRoutes } from "./routes.js";

const READY_TIMEOUT_MS = 2000;

/** Liveness (the process answers) and readiness (the database answers within 2 s). */
export const healthRoutes = () =>
  new ApiRoutes("", "运维")
    .add({ method: "get", path: "/healthz", summary: "存活检查", access: "public" }, async () => ({ status: "ok" }))
    .add({ method: "get", path: "/readyz", summary: "就绪检查（含数据库）", access: "public" }, async (ctx) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("database check timed out")), READY_TIMEOUT_MS);
      });
      try {
        if (!ctx.deps.db.dataSource.isInitialized) throw new Error("database not connected");
        await Promise.race([ctx.deps.db.read((m) => m.query("SELECT 1")), timeout]);
        return { status: "ready", database: ctx.deps.db.dataSource.options.type };
      } catch (err) {
        ctx.state.log.warn({ err }, "readiness check failed");
        throw new AppError("DATABASE_UNAVAILABLE", "数据库不可用");
      } finally {
        clearTimeout(timer);
      }
    });
