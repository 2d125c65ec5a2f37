/** The only bot module that reads process.env. */
export interface BotConfig {
  name: string;
  /** the member-service API the bot reaches all data through */
  apiBaseUrl: string;
  /** Wechaty puppet, e.g. wechaty-puppet-wechat4u for a real account or wechaty-puppet-mock locally */
  puppet: string;
}

export function loadBotConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  const apiBaseUrl = (env.API_BASE_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/\S+$/.test(apiBaseUrl)) throw new Error(`API_BASE_URL must be an http(s) URL (got "${apiBaseUrl}")`);
  return { name: env.BOT_NAME ?? "aftersales-bot", apiBaseUrl, puppet: env.WECHATY_PUPPET ?? "wechaty-puppet-mock" };
}
