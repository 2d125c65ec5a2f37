import type { Database } from "./database.js";
import { ensureLockTable, INSTANCE_ID } from "./startup-lock.js";

const CHECK_TIMEOUT_MS = 2000;

export interface Readiness {
  ready: boolean;
  database: string;
  /** why the instance should get no traffic, in words an operator reads */
  problem?: string;
  galera?: { state: string; cluster: string; size: number };
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// One write probe at a time per process: a stalled cluster must not pile probes onto the pool.
let probeInFlight: Promise<unknown> | null = null;
let lockTableChecked = false;

/**
 * Galera: the node must be synced and in the primary component, and a write must commit — while a
 * killed node is not yet evicted every commit in the cluster waits, and readiness says so.
 */
async function checkGalera(db: Database): Promise<Readiness["galera"] & { problem?: string }> {
  const rows: { Variable_name: string; Value: string }[] = await db.dataSource.query(
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment', 'wsrep_cluster_status', 'wsrep_cluster_size')",
  );
  const status = Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
  const galera = { state: status.wsrep_local_state_comment ?? "?", cluster: status.wsrep_cluster_status ?? "?", size: Number(status.wsrep_cluster_size ?? 0) };
  if (status.wsrep_ready !== "ON" || galera.state !== "Synced" || galera.cluster !== "Primary") {
    return { ...galera, problem: `Galera node not ready (state ${galera.state}, cluster ${galera.cluster})` };
  }
  if (!lockTableChecked) {
    await ensureLockTable(db.dataSource);
    lockTableChecked = true;
  }
  probeInFlight ??= db.dataSource
    .query("INSERT INTO app_lock (name, owner, expiresAt) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE expiresAt = VALUES(expiresAt)", [`probe:${INSTANCE_ID}`.slice(0, 64), INSTANCE_ID, Date.now()])
    .finally(() => (probeInFlight = null));
  try {
    await withTimeout(probeInFlight, "a write to the cluster");
  } catch (err) {
    return { ...galera, problem: `writes are stalled: ${(err as Error).message}` };
  }
  return galera;
}

/** Whether this instance can serve: the database answers within 2 s (and, on Galera, takes writes). */
export async function checkReadiness(db: Database): Promise<Readiness> {
  const database = String(db.dataSource.options.type);
  try {
    if (!db.dataSource.isInitialized) return { ready: false, database, problem: "database not connected" };
    await withTimeout(db.read((m) => m.query("SELECT 1")), "SELECT 1");
    if (!(await db.isGalera())) return { ready: true, database };
    const { problem, ...galera } = await checkGalera(db);
    return { ready: problem === undefined, database, problem, galera };
  } catch (err) {
    return { ready: false, database, problem: (err as Error).message };
  }
}
