import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../server/app.js";
import { createDataSource } from "../../server/db/data-source.js";
import { Database } from "../../server/db/database.js";
import { Member } from "../../server/members/members.entity.js";
import { signToken } from "../../server/http/tokens.js";
import { startTestApp, type TestApp } from "./app.js";
import type { DatabaseKind } from "./databases.js";

export interface TwoInstances {
  s: TestApp;
  /** base URLs of two API instances on the same database */
  urls: [string, string];
  /** fetch against instance i % 2, so parallel requests are spread over both */
  call(i: number, method: string, path: string, auth: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Two API instances, each listening on its own port. On MariaDB each has its own DataSource and pool
 * (as two processes behind a load balancer would), and on Galera the second talks to another node;
 * embedded SQLite is one process's file, so there both share the one connection and its transaction queue.
 */
export async function startTwoInstances(kind: DatabaseKind): Promise<TwoInstances> {
  const s = await startTestApp(kind);
  let second = s.t.db;
  if (kind !== "sqlite") {
    const dataSource = createDataSource(s.t.nodeUrls[1] ?? s.t.url);
    await dataSource.initialize();
    second = new Database(dataSource);
  }
  const servers = [s.app, createApp({ config: s.config, db: second })].map((app) => createServer(app.callback()));
  const urls = (await Promise.all(servers.map(listen))) as [string, string];
  return {
    s,
    urls,
    async call(i, method, path, auth, body, headers = {}) {
      const res = await fetch(urls[i % 2] + path, {
        method,
        headers: { authorization: auth, "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      if (second !== s.t.db) await second.dataSource.destroy();
      await s.close();
    },
  };
}

/** Inserts n members straight into the database and signs a token for each (fast setup for races). */
export async function createMembers(s: TestApp, n: number, prefix: string): Promise<{ id: number; auth: string }[]> {
  const now = new Date();
  const rows = Array.from({ length: n }, (_, i) => ({
    openid: `${prefix}-${i}`,
    unionid: null,
    memberCode: `${prefix.slice(0, 4).toUpperCase()}${String(i).padStart(6, "0")}`.slice(0, 16),
    nickname: `会员${i}`,
    phone: null,
    birthday: null,
    gender: "unknown" as const,
    storeId: 1,
    assetCount: 0,
    pointsBalance: 0,
    tierCode: "normal",
    createdAt: now,
    updatedAt: now,
  }));
  for (let i = 0; i < rows.length; i += 200) await s.t.db.tx((m) => m.insert(Member, rows.slice(i, i + 200)));
  const members = await s.t.db.read((m) => m.findBy(Member, rows.map((r) => ({ openid: r.openid }))));
  return Promise.all(members.map(async (member) => ({ id: member.id, auth: `Bearer ${(await signToken(s.config, { typ: "member", sub: member.id })).token}` })));
}
