// npm run --silent faq -- match --kb <file.json>
// Reads one question per line on stdin, writes one JSON line per question: {"q","id","score"}.
// id is null whenever the matcher would not answer outright: choices, small talk and "none".
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { compile } from "../http/validate.js";
import { knowledgeBaseBody, type KnowledgeBaseBody } from "./faq.schema.js";
import { FaqMatcher } from "./matcher.js";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function loadKnowledgeBase(file: string): KnowledgeBaseBody {
  let kb: unknown;
  try {
    kb = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    fail(`无法读取知识库文件 ${file}：${(err as Error).message}`);
  }
  const valid = compile(knowledgeBaseBody);
  if (!valid(kb)) fail(`知识库文件格式不正确：${JSON.stringify(valid.errors?.[0])}`);
  return kb as KnowledgeBaseBody;
}

async function runMatch(args: string[]) {
  const at = args.indexOf("--kb");
  if (at < 0 || !args[at + 1]) fail("用法：npm run --silent faq -- match --kb <知识库.json>");
  const matcher = FaqMatcher.build(loadKnowledgeBase(args[at + 1]).faqs);
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const q = line.trim();
    if (!q) continue;
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
