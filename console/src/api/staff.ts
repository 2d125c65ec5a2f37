import { get, post } from "./request.js";
import type { Staff } from "./session.js";
import type { BodyOf } from "./types.js";

export type LoginBody = BodyOf<"/api/v1/staff/login", "post">;

/** Signs in; the caller shows LOGIN_FAILED / locked messages in place. */
export const login = (body: LoginBody) => post<{ token: string; expiresAt: string; staff: Staff }>("/staff/login", body, { quiet: true });

export const fetchMe = () => get<Staff>("/staff/me");
