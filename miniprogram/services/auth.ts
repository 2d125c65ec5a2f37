/** Login lives in request.ts (it re-logs in on 401); this module names it for pages. */
export { ensureLogin, login } from "./request";
