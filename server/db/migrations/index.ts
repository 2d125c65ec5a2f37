import { Initial1763800000000 } from "./1763800000000-initial.js";

/** Every migration in order; the only way the schema changes. */
export const MIGRATIONS = [Initial1763800000000];
