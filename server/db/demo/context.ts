import type { Asset } from "../../assets/assets.entity.js";
import type { Config } from "../../config.js";
import type { StaffPrincipal } from "../../http/context.js";
import type { Database } from "../database.js";
import type { DemoRandom } from "./random.js";
import type { Timeline } from "./timeline.js";

export interface SeededMember {
  id: number;
  memberCode: string;
  nickname: string;
  storeId: number;
  /** how often they come (people.ts) */
  weight: number;
  assets: Pick<Asset, "id" | "plate" | "model">[];
}

/** What every part of the history reads: the services' inputs, the cast, the PRNG and the timeline it adds to. */
export interface DemoContext {
  db: Database;
  config: Config;
  r: DemoRandom;
  /** the real start: the history ends here, and today's and tomorrow's bookings are around it */
  now: Date;
  /** Shanghai dates: the history's first day, today, tomorrow */
  firstDay: string;
  today: string;
  staff: Record<"admin" | "advisor1" | "agent1" | "manager1" | "advisor2" | "agent2", StaffPrincipal>;
  members: SeededMember[];
  timeline: Timeline;
}

/** The front-desk account of a store. */
export const advisorOf = (ctx: DemoContext, storeId: number) => (storeId === 1 ? ctx.staff.advisor1 : ctx.staff.advisor2);
export const agentOf = (ctx: DemoContext, storeId: number) => (storeId === 1 ? ctx.staff.agent1 : ctx.staff.agent2);
