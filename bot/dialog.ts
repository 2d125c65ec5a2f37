import { randomUUID } from "node:crypto";
import { ApiError, type ApiClient, type Complaint } from "./api-client.js";
import { normalizeCommand, pickedNumber } from "./normalize.js";
import { COMPLAINT_CATEGORIES, COMPLAINT_DEMANDS, T } from "./texts.js";

/**
 * The multi-step dialogs. Their state lives on the server (POST /bot/dialog, 30 minutes), saved before
 * the bot answers, so a bot restarted in the middle of a dialog picks it up at the same step.
 */
export type DialogState =
  | { kind: "complaint"; step: "content" | "category" | "demand" | "confirm"; requestId?: string; content?: string; category?: string; demand?: string }
  | { kind: "survey"; step: "pick"; options: { id: number; number: string }[] }
  | { kind: "survey"; step: "rating" | "solved"; complaintId: number; number: string; rating?: number }
  | { kind: "faq"; choices: { id: string; question: string }[] };

const MIN_CONTENT = 5;

/** The state as the server returned it, or null when it is not one of ours (then it is dropped). */
export function parseDialog(raw: Record<string, unknown> | null): DialogState | null {
  if (!raw || typeof raw.kind !== "string") return null;
  if (raw.kind === "complaint" && ["content", "category", "demand", "confirm"].includes(raw.step as string)) return raw as DialogState;
  if (raw.kind === "survey" && (raw.step === "pick" ? Array.isArray(raw.options) : typeof raw.complaintId === "number")) return raw as DialogState;
  if (raw.kind === "faq" && Array.isArray(raw.choices)) return raw as DialogState;
  return null;
}

export const isCancel = (text: string) => ["取消", "退出", "算了", "不投诉了"].includes(normalizeCommand(text));

async function save(api: ApiClient, contactId: string, state: DialogState | null, reply: string): Promise<string> {
  await api.saveDialog(contactId, state);
  return reply;
}

/** 投诉: starts the complaint dialog. */
export function startComplaint(api: ApiClient, contactId: string): Promise<string> {
  // the dialog's id files the complaint once, even when a restarted bot sees 确认 again
  return save(api, contactId, { kind: "complaint", step: "content", requestId: `dlg-${randomUUID()}` }, T.complaintAsk);
}

async function continueComplaint(api: ApiClient, contactId: string, s: Extract<DialogState, { kind: "complaint" }>, text: string): Promise<string> {
  const input = text.trim();
  if (s.step === "content") {
    if ([...input].length < MIN_CONTENT) return T.complaintTooShort;
    return save(api, contactId, { ...s, step: "category", content: input.slice(0, 2000) }, T.complaintCategory);
  }
  if (s.step === "category") {
    const category = pick(COMPLAINT_CATEGORIES, input);
    if (!category) return T.pickNumber(COMPLAINT_CATEGORIES.length);
    return save(api, contactId, { ...s, step: "demand", category: category.code }, T.complaintDemand);
  }
  if (s.step === "demand") {
    const demand = pick(COMPLAINT_DEMANDS, input);
    if (!demand) return T.pickNumber(COMPLAINT_DEMANDS.length);
    const category = COMPLAINT_CATEGORIES.find((c) => c.code === s.category)?.name ?? "其他";
    return save(api, contactId, { ...s, step: "confirm", demand: demand.code }, T.complaintConfirm(category, demand.name, s.content ?? ""));
  }
  if (!["确认", "提交", "是", "1", "好", "确定", "OK"].includes(normalizeCommand(input))) return T.complaintConfirmAgain;
  const filed = await api.fileComplaint({ contactId, category: s.category ?? "other", content: s.content ?? "", demand: s.demand ?? "other", requestId: s.requestId });
  await api.saveDialog(contactId, null);
  // a complaint hands the conversation to its owner (or an on-duty agent); the complaint stands even if that fails
  const handoff = await api.openHandoff({ contactId, complaintId: filed.id }).catch((err: Error) => {
    console.error(`handoff for complaint ${filed.number} not opened:`, err.message);
    return null;
  });
  return [T.complaintFiled(filed.number, filed.statusText), handoff ? T.complaintHandoff : ""].filter(Boolean).join("\n");
}

/** An option chosen by its number or its exact name. */
function pick<O extends { name: string }>(options: O[], text: string): O | null {
  const n = pickedNumber(text, options.length);
  if (n) return options[n - 1];
  return options.find((o) => o.name === normalizeCommand(text)) ?? null;
}

/** 评价 [1-5] [已解决|未解决]: answers the satisfaction survey of a complaint that waits for one. */
export async function startSurvey(api: ApiClient, contactId: string, text: string): Promise<string> {
  const open = (await api.complaints(contactId)).items.filter((c: Complaint) => c.surveyOpen);
  if (open.length === 0) return T.surveyNone;
  if (open.length > 1) return save(api, contactId, { kind: "survey", step: "pick", options: open.slice(0, 9).map((c) => ({ id: c.id, number: c.number })) }, T.surveyPick(open.slice(0, 9).map((c) => c.number)));
  const [only] = open;
  // "评价 5 已解决" in one message
  const rest = normalizeCommand(text).replace(/^评价\s*/, "");
  const rating = /^([1-5])\b/.exec(rest)?.[1];
  const solved = solvedOf(rest.replace(/^[1-5]\s*/, ""));
  if (rating && solved !== null) return submitSurvey(api, contactId, only.id, Number(rating), solved);
  if (rating) return save(api, contactId, { kind: "survey", step: "solved", complaintId: only.id, number: only.number, rating: Number(rating) }, T.surveySolved);
  return save(api, contactId, { kind: "survey", step: "rating", complaintId: only.id, number: only.number }, T.surveyRating(only.number));
}

function solvedOf(text: string): boolean | null {
  const t = normalizeCommand(text);
  if (["1", "已解决", "解决了", "解决", "是", "满意"].includes(t)) return true;
  if (["2", "未解决", "没解决", "没有解决", "否", "不满意"].includes(t)) return false;
  return null;
}

async function submitSurvey(api: ApiClient, contactId: string, complaintId: number, rating: number, solved: boolean): Promise<string> {
  await api.survey({ contactId, complaintId, rating, solved });
  await api.saveDialog(contactId, null);
  return solved && rating >= 3 ? T.surveyThanks : T.surveyReopened;
}

async function continueSurvey(api: ApiClient, contactId: string, s: Extract<DialogState, { kind: "survey" }>, text: string): Promise<string> {
  if (s.step === "pick") {
    const n = pickedNumber(text, s.options.length);
    if (!n) return T.pickNumber(s.options.length);
    const chosen = s.options[n - 1];
    return save(api, contactId, { kind: "survey", step: "rating", complaintId: chosen.id, number: chosen.number }, T.surveyRating(chosen.number));
  }
  if (s.step === "rating") {
    const rating = pickedNumber(text, 5);
    if (!rating) return T.surveyRatingAgain;
    return save(api, contactId, { ...s, step: "solved", rating }, T.surveySolved);
  }
  const solved = solvedOf(text);
  if (solved === null) return T.surveySolved;
  return submitSurvey(api, contactId, s.complaintId, s.rating ?? 3, solved);
}

/** The answer of the FAQ choice picked (it may have been removed from the knowledge base since). */
async function answerChoice(api: ApiClient, contactId: string, choice: { id: string; question: string }): Promise<string> {
  await api.saveDialog(contactId, null);
  try {
    return (await api.faqItem(choice.id)).answer;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return T.notUnderstood;
    throw err;
  }
}

/**
 * The next step of the contact's dialog. Returns undefined when the text is not an answer to it
 * (only for FAQ choices: anything but 1/2/3 is a new question, the choices are dropped).
 */
export async function continueDialog(api: ApiClient, contactId: string, state: DialogState, text: string): Promise<string | undefined> {
  if (isCancel(text)) return save(api, contactId, null, T.cancelled);
  try {
    if (state.kind === "complaint") return await continueComplaint(api, contactId, state, text);
    if (state.kind === "survey") return await continueSurvey(api, contactId, state, text);
  } catch (err) {
    // the survey window closed or the member was unbound meanwhile: end the dialog with the server's reason
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) return save(api, contactId, null, `${err.message}`);
    throw err;
  }
  const n = pickedNumber(text, state.choices.length);
  if (n) return answerChoice(api, contactId, state.choices[n - 1]);
  await api.saveDialog(contactId, null);
  return undefined;
}
