import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { session, type StaffRole } from "../api/session.js";

declare module "vue-router" {
  interface RouteMeta {
    /** roles that may open the page; the menu shows it only to them */
    roles?: StaffRole[];
    title?: string;
    /** shown in the side menu */
    menu?: boolean;
  }
}

const ALL: StaffRole[] = ["advisor", "agent", "manager", "admin"];

export const pageRoutes: RouteRecordRaw[] = [
  { path: "dashboard", name: "dashboard", component: () => import("../pages/dashboard/index.vue"), meta: { title: "工作台", roles: ALL, menu: true } },
  { path: "members", name: "members", component: () => import("../pages/members/index.vue"), meta: { title: "会员", roles: ALL, menu: true } },
  { path: "redeem", name: "redeem", component: () => import("../pages/redeem/index.vue"), meta: { title: "核销", roles: ["advisor", "manager", "admin"], menu: true } },
  { path: "complaints", name: "complaints", component: () => import("../pages/complaints/index.vue"), meta: { title: "投诉工作台", roles: ALL, menu: true } },
  { path: "complaints/:id(\\d+)", name: "complaint", component: () => import("../pages/complaints/detail.vue"), meta: { title: "投诉详情", roles: ALL } },
  { path: "approvals", name: "approvals", component: () => import("../pages/approvals/index.vue"), meta: { title: "补偿审批", roles: ["manager", "admin"], menu: true } },
  { path: "forbidden", name: "forbidden", component: () => import("../pages/forbidden/index.vue"), meta: { title: "无权访问", roles: ALL } },
  // second slice: bookings board, calls, messages, knowledge base, reports
  { path: "bookings", name: "bookings", component: () => import("../pages/bookings/index.vue"), meta: { title: "预约看板", roles: ["advisor", "manager", "admin"], menu: true } },
  { path: "calls", name: "calls", component: () => import("../pages/calls/index.vue"), meta: { title: "回访与电话任务", roles: ALL, menu: true } },
  { path: "messages", name: "messages", component: () => import("../pages/messages/index.vue"), meta: { title: "消息", roles: ["manager", "admin"], menu: true } },
  { path: "faq", name: "faq", component: () => import("../pages/faq/index.vue"), meta: { title: "知识库", roles: ["agent", "manager", "admin"], menu: true } },
  { path: "reports", name: "reports", component: () => import("../pages/reports/index.vue"), meta: { title: "报表", roles: ["agent", "manager", "admin"], menu: true } },
  // 营销 and 门店: the server lets only managers and admins use the template, loyalty and store-setup calls
  { path: "marketing", name: "marketing", component: () => import("../pages/marketing/index.vue"), meta: { title: "营销", roles: ["manager", "admin"], menu: true } },
  { path: "stores", name: "stores", component: () => import("../pages/stores/index.vue"), meta: { title: "门店", roles: ["manager", "admin"], menu: true } },
  // staff accounts and audit (server/staff/staff.routes.ts admins; access-logs managers and admins)
  { path: "staff", name: "staff", component: () => import("../pages/staff/index.vue"), meta: { title: "员工", roles: ["admin"], menu: true } },
  { path: "audit", name: "audit", component: () => import("../pages/audit/index.vue"), meta: { title: "审计", roles: ["manager", "admin"], menu: true } },
];

const routes: RouteRecordRaw[] = [
  { path: "/login", name: "login", component: () => import("../pages/login/index.vue"), meta: { title: "登录" } },
  { path: "/", component: () => import("../layouts/MainLayout.vue"), redirect: { name: "dashboard" }, children: pageRoutes },
  { path: "/:rest(.*)*", redirect: { name: "dashboard" } },
];

export const router = createRouter({ history: createWebHistory("/console/"), routes });

/** Whether the signed-in role may open a route (the server still checks every call). */
export function mayOpen(roles: StaffRole[] | undefined): boolean {
  return !roles || (!!session.staff && roles.includes(session.staff.role));
}

router.beforeEach((to) => {
  if (to.name === "login") return true;
  if (!session.token) return { name: "login", query: { redirect: to.fullPath } };
  if (!mayOpen(to.meta.roles)) return { name: "forbidden", query: { from: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? "员工工作台"} · 售后会员服务`;
});
