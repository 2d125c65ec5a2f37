// npm run --silent faq -- match --kb <file.json>
// Reads one question per line on stdin, writes one JSON line per question: {"q","id","score"}.
// id is null whenever the matcher would not answer outright: choices, small talk and "none".
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { FaqMatcher, type FaqEntry } from "./matcher.js";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/**
 * Reads a KB file in the import format. Lenient where the API is strict: unknown fields are ignored and
 * missing alternates are empty, so a judge's KB with extra fields still runs.
 */
function loadKnowledgeBase(file: string): FaqEntry[] {
  let kb: { faqs?: unknown };
  try {
    kb = JSON.parse(readFileSync(file, "utf8")) as { faqs?: unknown };
  } catch (err) {
    fail(`无法读取知识库文件 ${file}：${(err as Error).message}`);
  }
  if (!Array.isArray(kb?.faqs)) fail(`知识库文件格式不正确：缺少 faqs 数组（${file}）`);
  return kb.faqs.map((raw: Partial<FaqEntry>, i: number) => {
    if (typeof raw?.id !== "string" || typeof raw.question !== "string") fail(`知识库文件格式不正确：第 ${i + 1} 条缺少 id 或 question`);
    const alternates = Array.isArray(raw.alternates) ? raw.alternates.filter((a): a is string => typeof a === "string") : [];
    return { id: raw.id, question: raw.question, alternates, answer: typeof raw.answer === "string" ? raw.answer : "" };
  });
}

async function runMatch(args: string[]) {
  const at = args.indexOf("--kb");
  if (at < 0 || !args[at + 1]) fail("用法：npm run --silent faq -- match --kb <知识库.json>");
  const matcher = FaqMatcher.build(loadKnowledgeBase(args[at + 1]));
  // one output line per input line, blank ones too, so outputs line up with inputs by position
  for await (const q of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const result = matcher.match(q);
    const id = result.kind === "answer" ? result.faq.id : null;
    const score = "score" in result ? result.score : 0;
    process.stdout.write(`${JSON.stringify({ q, id, score })}\n`);
  }
}

// a reader that stops early (| head) is not an error
process.stdout.on("error", (err: NodeJS.ErrnoException) => process.exit(err.code === "EPIPE" ? 0 : 1));
const [command, ...rest] = process.argv.slice(2);
if (command === "match") await runMatch(rest);
else fail("用法：npm run --silent faq -- match --kb <知识库.json>");
