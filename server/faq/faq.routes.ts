import type { Context } from "koa";
import type { EntityManager } from "typeorm";
import { retryAfterUniqueRace } from "../db/errors.js";
import { staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import {
  createFaqBody, faqParams, knowledgeBaseBody, listFaqQuery, listMissQuery, matchBody, missParams, resolveMissBody, updateFaqBody,
  type CreateFaqBody, type FaqParams, type KnowledgeBaseBody, type ListFaqQuery, type ListMissQuery, type MatchBody, type MissParams, type ResolveMissBody, type UpdateFaqBody,
} from "./faq.schema.js";
import { activeFaqs, createFaq, deactivateFaq, exportKnowledgeBase, importKnowledgeBase, listFaqs, publicFaq, updateFaq } from "./faq.service.js";
import { answerQuestion } from "./match.service.js";
import { listMisses, resolveMiss } from "./miss.service.js";
import { matchLimiter } from "./rate-limit.js";

const READERS = ["agent", "manager", "admin"] as const;
const EDITORS = ["manager", "admin"] as const;

/** A KB change in one transaction, run again when it lost a race on a unique key (a new id, the first KB row): the rerun answers FAQ_ID_TAKEN or goes through. */
const change = <T>(ctx: Context, run: (m: EntityManager) => Promise<T>) => retryAfterUniqueRace(() => ctx.deps.db.tx(run));

/** Staff maintain the knowledge base: agents read it and its misses, managers and admins change it. */
export const faqStaffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "常见问题")
    .add<never, ListFaqQuery>({ method: "get", path: "/faqs", summary: "常见问题列表（含知识库名称和版本）", access: READERS, query: listFaqQuery }, (ctx, { query }) => ctx.deps.db.read((m) => listFaqs(m, query)))
    .add<CreateFaqBody>({ method: "post", path: "/faqs", summary: "新增常见问题", access: EDITORS, body: createFaqBody, status: 201 }, (ctx, { body }) => change(ctx, (m) => createFaq(m, body, ctx.deps.clock())))
    .add({ method: "get", path: "/faqs/export", summary: "导出知识库（与导入相同的 JSON 格式，仅启用的问题）", access: READERS }, (ctx) => ctx.deps.db.read((m) => exportKnowledgeBase(m)))
    .add<KnowledgeBaseBody>({ method: "post", path: "/faqs/import", summary: "导入知识库：整体替换为文件内容", access: EDITORS, body: knowledgeBaseBody }, (ctx, { body }) => change(ctx, (m) => importKnowledgeBase(m, body, ctx.deps.clock())))
    .add<UpdateFaqBody, never, FaqParams>({ method: "patch", path: "/faqs/:id", summary: "修改常见问题（问题、相似问法、答案、启用）", access: EDITORS, params: faqParams, body: updateFaqBody }, (ctx, { params, body }) =>
      change(ctx, (m) => updateFaq(m, params.id, body, ctx.deps.clock())),
    )
    .add<never, never, FaqParams>({ method: "delete", path: "/faqs/:id", summary: "停用常见问题", access: EDITORS, params: faqParams }, (ctx, { params }) => change(ctx, (m) => deactivateFaq(m, params.id, ctx.deps.clock())))
    .add<never, ListMissQuery>({ method: "get", path: "/faq/misses", summary: "未能直接解答的问题：按规范化文本计数，次数多的在前", access: READERS, query: listMissQuery }, (ctx, { query }) => ctx.deps.db.read((m) => listMisses(m, query)))
    .add<ResolveMissBody, never, MissParams>({ method: "post", path: "/faq/misses/:id/resolve", summary: "处理未解答问题：忽略，或加为某个常见问题的相似问法", access: EDITORS, params: missParams, body: resolveMissBody }, (ctx, { params, body }) =>
      change(ctx, (m) => resolveMiss(m, params.id, body.faqId, staffOf(ctx).id, ctx.deps.clock())),
    );

/** For the chatbot and the mini-program's help page, public: the active FAQs, one FAQ (a numbered choice), and matching, limited per address (bots exempt). */
export const faqMatchRoutes = () => {
  const limit = matchLimiter();
  return new ApiRoutes("/api/v1/faq", "常见问题")
    .add({ method: "get", path: "/items", summary: "常见问题列表（帮助页）", access: "public" }, (ctx) =>
      ctx.deps.db.read(async (m) => ({ items: (await activeFaqs(m)).map(({ id, question, answer }) => ({ id, question, answer })) })),
    )
    .add<never, never, FaqParams>({ method: "get", path: "/items/:id", summary: "一条常见问题（机器人候选的答案）", access: "public", params: faqParams }, (ctx, { params }) => ctx.deps.db.read((m) => publicFaq(m, params.id)))
    .add<MatchBody>({ method: "post", path: "/match", summary: "匹配问题：直接回答、给出 3 个候选、寒暄/致谢回复，或未理解（可转人工）", access: "public", body: matchBody }, (ctx, { body }) => {
    limit(ctx, Date.now());
    return answerQuestion(ctx.deps.db, body.q, ctx.deps.clock());
  });
};
