import { featuresOf, smallTalkOf } from "./text.js";

/** One FAQ as the knowledge-base JSON holds it. */
export interface FaqEntry {
  id: string;
  question: string;
  alternates: string[];
  answer: string;
}

/** The import/export format: { name, faqs: [{ id, question, alternates, answer }] }. */
export interface KnowledgeBase {
  name: string;
  faqs: FaqEntry[];
}

export type MatchResult =
  | { kind: "answer"; faq: { id: string; question: string; answer: string }; score: number }
  | { kind: "choices"; choices: { id: string; question: string }[]; score: number }
  | { kind: "greeting" | "thanks"; reply: string }
  | { kind: "none"; reply: string; score: number };

/** At or above `answer` the best FAQ is answered, from `choices` the top 3 are offered, below it nothing. */
export const THRESHOLDS = { answer: 0.5, choices: 0.3 };

/**
 * The raw similarity (mean of query coverage and phrasing coverage, 0–1) mapped piecewise-linearly
 * onto the confidence scale, so the cut-offs above read as 0.5 and 0.3. The knots come from two
 * knowledge bases of different trades (cars: ../shared/faq; appliances: test/fixtures/faq) and held
 * on a third (property management):
 * questions about nothing in the KB stay below raw 0.09 (one priced product the KB does not sell,
 * "苹果手机多少钱", reaches 0.49), real ones with the right FAQ first mostly start near raw 0.3 (one
 * at 0.12); the answer line sits between the two, above raw 0.6 the match is certain.
 */
const CALIBRATION: [raw: number, confidence: number][] = [
  [0, 0],
  [0.12, 0.3],
  [0.2, 0.5],
  [0.6, 1],
];

function calibrate(raw: number): number {
  for (let i = 1; i < CALIBRATION.length; i++) {
    const [x1, y1] = CALIBRATION[i];
    const [x0, y0] = CALIBRATION[i - 1];
    if (raw <= x1) return y0 + ((raw - x0) * (y1 - y0)) / (x1 - x0);
  }
  return 1;
}

export const REPLIES = {
  greeting: "您好！我是智能客服，请直接描述您的问题，我来为您解答。需要人工服务请回复“人工”。",
  thanks: "不客气，很高兴为您服务！还有其他问题随时问我。",
  none: "抱歉，我没有理解您的问题。您可以换个说法再问一次，或回复“人工”转人工客服。",
};

// BM25F: questions and alternates are one field, the answer a second, weaker one
const K1 = 1.2;
const FIELDS = { question: { weight: 1, b: 0.4 }, answer: { weight: 0.35, b: 0.75 } };
const CHOICES = 3;
// a feature counts at most this much however often it repeats (a synonym match weighs 2, see text.ts)
const WEIGHT_CAP = 2;
// in the self-match, features the whole KB never uses count half: real questions carry extra words
// (明天, 高速上), and a question made only of unknown words scores 0 anyway
const UNKNOWN_FACTOR = 0.5;

interface Posting {
  doc: number;
  question: number;
  answer: number;
}

export interface Ranked {
  faq: FaqEntry;
  /** BM25F score */
  raw: number;
  doc: number;
}

function merge(into: Map<string, number>, from: Map<string, number>) {
  for (const [f, w] of from) into.set(f, (into.get(f) ?? 0) + w);
}

/** An index over one knowledge base, built once; matching is pure and synchronous. */
export class FaqMatcher {
  private readonly postings = new Map<string, Posting[]>();
  private readonly questionLength: number[] = [];
  private readonly answerLength: number[] = [];
  private readonly avgQuestion: number;
  private readonly avgAnswer: number;
  /** per FAQ, the features of each phrasing (question and alternates) */
  private readonly phrasings: Map<string, number>[][] = [];

  private constructor(readonly faqs: FaqEntry[]) {
    faqs.forEach((faq, doc) => {
      const question = new Map<string, number>();
      const own = [faq.question, ...faq.alternates].map((text) => featuresOf(text).weights);
      this.phrasings.push(own);
      for (const weights of own) merge(question, weights);
      const answer = featuresOf(faq.answer);
      this.questionLength.push([...question.values()].reduce((a, b) => a + b, 0));
      this.answerLength.push(answer.length);
      for (const feature of new Set([...question.keys(), ...answer.weights.keys()])) {
        const list = this.postings.get(feature) ?? [];
        list.push({ doc, question: question.get(feature) ?? 0, answer: answer.weights.get(feature) ?? 0 });
        this.postings.set(feature, list);
      }
    });
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 1) || 1;
    this.avgQuestion = mean(this.questionLength);
    this.avgAnswer = mean(this.answerLength);
  }

  /** Builds the index of a knowledge base (active FAQs only are passed in). */
  static build(faqs: FaqEntry[]): FaqMatcher {
    return new FaqMatcher(faqs);
  }

  private idf(feature: string): number {
    const n = this.faqs.length;
    const df = this.postings.get(feature)?.length ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** FAQs by BM25F score, best first, and the score a document holding every query feature once would get. */
  rank(text: string): { ranked: Ranked[]; self: number; query: Map<string, number> } {
    const query = featuresOf(text);
    const scores = new Float64Array(this.faqs.length);
    let self = 0;
    for (const [feature, weight] of query.weights) {
      const idf = this.idf(feature);
      const qw = Math.min(weight, WEIGHT_CAP);
      self += qw * idf * (this.postings.has(feature) ? 1 : UNKNOWN_FACTOR);
      for (const p of this.postings.get(feature) ?? []) {
        const q = (FIELDS.question.weight * p.question) / (1 - FIELDS.question.b + (FIELDS.question.b * this.questionLength[p.doc]) / this.avgQuestion);
        const a = (FIELDS.answer.weight * p.answer) / (1 - FIELDS.answer.b + (FIELDS.answer.b * this.answerLength[p.doc]) / this.avgAnswer);
        const tf = q + a;
        scores[p.doc] += (qw * idf * tf * (K1 + 1)) / (tf + K1);
      }
    }
    const ranked: Ranked[] = [];
    scores.forEach((raw, doc) => raw > 0 && ranked.push({ faq: this.faqs[doc], raw, doc }));
    ranked.sort((x, y) => y.raw - x.raw);
    return { ranked, self, query: query.weights };
  }

  /** How much of its best phrasing (question or an alternate) the query covers, by idf weight. */
  phrasingCoverage(doc: number, query: Map<string, number>): number {
    let best = 0;
    for (const phrasing of this.phrasings[doc]) {
      let all = 0;
      let hit = 0;
      for (const [feature, weight] of phrasing) {
        const w = Math.min(weight, WEIGHT_CAP) * this.idf(feature);
        all += w;
        if (query.has(feature)) hit += w;
      }
      if (all > 0) best = Math.max(best, hit / all);
    }
    return best;
  }

  /**
   * Confidence in [0,1] that the best FAQ answers the question, from two views of "relative to a
   * perfect self-match": the best FAQ's score over the score of an FAQ holding every query feature
   * (words unknown to the whole KB count half there), and how much of the FAQ's closest phrasing the
   * query covers.
   */
  confidence(ranked: Ranked[], self: number, query: Map<string, number>): number {
    if (!ranked.length || self <= 0) return 0;
    const coverage = Math.min(1, ranked[0].raw / self);
    return round(calibrate((coverage + this.phrasingCoverage(ranked[0].doc, query)) / 2));
  }

  /** Answers, offers choices, replies to small talk or says it did not understand. */
  match(text: string): MatchResult {
    const talk = smallTalkOf(text);
    if (talk) return { kind: talk, reply: REPLIES[talk] };
    const { ranked, self, query } = this.rank(text);
    const score = this.confidence(ranked, self, query);
    if (score >= THRESHOLDS.answer) {
      const { id, question, answer } = ranked[0].faq;
      return { kind: "answer", faq: { id, question, answer }, score };
    }
    if (score >= THRESHOLDS.choices) return { kind: "choices", choices: ranked.slice(0, CHOICES).map(({ faq }) => ({ id: faq.id, question: faq.question })), score };
    return { kind: "none", reply: REPLIES.none, score };
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
