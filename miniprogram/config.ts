/** The member-service API; set per environment at build time (the request domain must be allowed in the WeChat console). */
export const API_BASE_URL = "http://127.0.0.1:3000";
