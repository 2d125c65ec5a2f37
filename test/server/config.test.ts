import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.js";

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
};

describe("config", () => {
  it("starts with no environment at all on the embedded database with dev login", () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe("sqlite:./data/app.sqlite");
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.devLogin).toBe(true);
  });

  it("refuses production without its own secrets and names each missing key", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    expect(problems.join("\n")).toContain("JWT_SECRET is required");
    expect(problems.join("\n")).toContain("WECHAT_APPID and WECHAT_SECRET are required");
  });

  it("never allows dev login in production", () => {
    const problems = problemsOf({ NODE_ENV: "production", JWT_SECRET: "x".repeat(40), WECHAT_APPID: "a", WECHAT_SECRET: "b", DEV_LOGIN: "true" });
    expect(problems).toEqual(["DEV_LOGIN cannot be enabled when NODE_ENV=production"]);
  });

  it("turns dev login off by default once WeChat is configured", () => {
    expect(loadConfig({ WECHAT_APPID: "a", WECHAT_SECRET: "b" }).devLogin).toBe(false);
  });

  it("reports every bad key at once with what it got", () => {
    const problems = problemsOf({ PORT: "70000", DATABASE_URL: "postgres://x", JWT_SECRET: "short", LOG_LEVEL: "loud", WECHAT_APPID: "only-id" });
    expect(problems).toHaveLength(5);
    expect(problems.join("\n")).toMatch(/PORT must be an integer between 0 and 65535 \(got "70000"\)/);
    expect(problems.join("\n")).toMatch(/DATABASE_URL must look like/);
    expect(problems.join("\n")).toMatch(/JWT_SECRET must be at least 32/);
    expect(problems.join("\n")).toMatch(/LOG_LEVEL must be one of/);
    expect(problems.join("\n")).toMatch(/must be set together/);
  });
});
