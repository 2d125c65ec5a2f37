import { readFileSync } from "node:fs";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { Converter } from "opencc-js/t2cn";

// Hong Kong and Taiwan forms both reach Simplified (as in complaints/severity.ts)
const fromHongKong = Converter({ from: "hk", to: "cn" });
const fromTaiwan = Converter({ from: "tw", to: "cn" });

/** The lines of a data file beside this module, without comments and blank lines. */
function dataLines(file: string): string[] {
  return readFileSync(new URL(`./${file}`, import.meta.url), "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** Simplified, full-width folded (NFKC), lower case, punctuation and symbols turned into spaces. */
export function normalize(text: string): string {
  return fromTaiwan(fromHongKong(text.normalize("NFKC")))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const words = (line: string) => normalize(line).split(/\s+/).filter(Boolean);

/** word → canonical forms of the synonym groups it belongs to (a word may sit in several groups) */
const synonymGroups = new Map<string, string[]>();
for (const line of dataLines("synonyms.txt")) {
  const group = words(line);
  for (const word of group) synonymGroups.set(word, [...(synonymGroups.get(word) ?? []), group[0]]);
}
const MAX_PHRASE_TOKENS = 3;

const fillers = new Set(dataLines("fillers.txt").flatMap(words));

const smallTalk = { greeting: new Set<string>(), thanks: new Set<string>() };
for (const line of dataLines("smalltalk.txt")) {
  const [kind, list] = line.split(":");
  if (kind === "greeting" || kind === "thanks") for (const word of words(list)) smallTalk[kind].add(word);
}
// pieces that may surround a greeting or a thanks without changing it ("谢谢你们啦", "你好呀")
const SMALL_TALK_GLUE = ["你们", "你", "您", "了", "啦", "呀", "啊", "哈", "哈哈", "呢", "吗", "哦", "噢", "嘛", "的", "亲", "们"];

// longest first; filler may surround small talk too ("你好，请问在吗"), but filler alone is not small talk
const SMALL_TALK_PIECES = [...smallTalk.greeting, ...smallTalk.thanks, ...SMALL_TALK_GLUE, ...fillers].sort((a, b) => b.length - a.length);

const jieba = Jieba.withDict(dict);
// the lexicon's own words segment as one token (优惠券, 营业时间…); the frequency only has to beat the split
jieba.loadDict(Buffer.from([...synonymGroups.keys()].filter((w) => w.length > 1).map((w) => `${w} 20000`).join("\n")));

/** Tokens of a normalized text: jieba's accurate-mode cut. */
function segment(normal: string): string[] {
  return normal.split(" ").flatMap((part) => (part ? jieba.cut(part, true) : []));
}

export interface Features {
  /** feature → weight in this text (sum over occurrences) */
  weights: Map<string, number>;
  /** total weight, the text's length for BM25 */
  length: number;
}

// weights of the feature kinds: a word counts most, the character features back it up
const WORD_WEIGHT = 1;
const SUBWORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.4;
const UNIGRAM_WEIGHT = 0.3;
// a synonym match ("不工作" for "坏了") stands in for the literal word and the bigrams and characters it
// would share; a one-character word (查, 换, 修) is too general for that and counts as a plain word
const SYNONYM_WEIGHT = 2;

/**
 * Matching features of a text: content words, with a phrase of the synonym list (also one jieba
 * split, "什么|时候") taken as one unit and folded to its group's canonical form; sub-words of long
 * unknown words; and character bigrams and single characters of the content, which survive
 * segmentation that differs between the question and the FAQ ("首保" vs "首|保收").
 */
export function featuresOf(text: string): Features {
  const tokens = segment(normalize(text));
  const weights = new Map<string, number>();
  const add = (feature: string, weight: number) => weights.set(feature, (weights.get(feature) ?? 0) + weight);
  const runs: string[] = [];
  let run = "";
  for (let i = 0; i < tokens.length; ) {
    let n = Math.min(MAX_PHRASE_TOKENS, tokens.length - i);
    let phrase = tokens.slice(i, i + n).join("");
    while (n > 1 && !synonymGroups.has(phrase)) phrase = tokens.slice(i, i + --n).join("");
    const groups = synonymGroups.get(phrase);
    if (groups) for (const canonical of groups) add(`s:${canonical}`, phrase.length > 1 ? SYNONYM_WEIGHT : WORD_WEIGHT);
    if (!groups && fillers.has(phrase)) {
      runs.push(run);
      run = "";
    } else run += phrase;
    if (!groups && !fillers.has(phrase)) {
      add(`w:${phrase}`, WORD_WEIGHT);
      if (phrase.length >= 3) for (const sub of jieba.cutForSearch(phrase, true)) if (sub !== phrase && !fillers.has(sub)) add(synonymGroups.has(sub) ? `s:${synonymGroups.get(sub)![0]}` : `w:${sub}`, SUBWORD_WEIGHT);
    }
    i += n;
  }
  runs.push(run);
  // bigrams and characters inside and across adjacent content words, never across a filler
  for (const r of runs) {
    for (let i = 0; i + 1 < r.length; i++) add(`b:${r.slice(i, i + 2)}`, BIGRAM_WEIGHT);
    for (const ch of r) if (/\p{Script=Han}/u.test(ch)) add(`c:${ch}`, UNIGRAM_WEIGHT);
  }
  let length = 0;
  for (const w of weights.values()) length += w;
  return { weights, length };
}

/** "greeting" or "thanks" when the whole message is small talk (你好 / 在吗 / 好的谢谢), else null. */
export function smallTalkOf(text: string): "greeting" | "thanks" | null {
  let rest = normalize(text).replace(/\s+/g, "");
  if (!rest) return null;
  let kind: "greeting" | "thanks" | null = null;
  while (rest) {
    const piece = SMALL_TALK_PIECES.find((p) => rest.startsWith(p));
    if (!piece) return null;
    if (smallTalk.thanks.has(piece)) kind = "thanks";
    else if (smallTalk.greeting.has(piece) && kind === null) kind = "greeting";
    rest = rest.slice(piece.length);
  }
  return kind;
}
