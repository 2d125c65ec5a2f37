import { spawn, type ChildProcess } from "node:child_process";

export interface ServerProcess {
  child: ChildProcess;
  /** the base URL once it printed that it listens; rejects if it exits first */
  listening: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

/** Starts `npm start`'s entry point (server/main.ts) as a real process and collects what it prints. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { PATH: process.env.PATH, NODE_ENV: "development", LOG_LEVEL: "warn", PORT: "0", BCRYPT_ROUNDS: "4", SEED_DEMO_HISTORY: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /API 已启动：(http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  listening.catch(() => undefined); // awaited only by tests that expect a start
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, listening, exited, output: () => output };
}

/** SIGTERM, then the exit code. */
export async function stopServerProcess(p: ServerProcess): Promise<number | null> {
  if (p.child.exitCode === null) p.child.kill("SIGTERM");
  return p.exited;
}
