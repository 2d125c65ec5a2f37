import { fetchFaqItem, fetchFaqItems, fetchStoreContacts, matchFaq, type FaqItem, type StoreContact } from "../../services/help";
import { fetchBotBinding, requestBotBindingCode } from "../../services/notify";
import { messageOf } from "../../services/request";
import { shanghaiDateTime } from "../../utils/format";

const TOP_QUESTIONS = 8;

/** What the page shows under the search box after a search. */
type Result =
  | { kind: "answer"; question: string; answer: string }
  | { kind: "choices"; choices: { id: string; question: string }[] }
  | { kind: "reply"; text: string }
  | { kind: "none" };

// 帮助: search the FAQ through the server's matcher, the top questions, and 联系人工 (the chatbot binding code, or a store's phone).
Component({
  data: {
    loading: true,
    error: "",
    q: "",
    searching: false,
    result: null as Result | null,
    top: [] as FaqItem[],
    openId: "",
    contactOpen: false,
    contactLoading: false,
    botBound: false,
    bindCode: "",
    bindUntil: "",
    stores: [] as StoreContact[],
  },
  methods: {
    onLoad() {
      this.loadTop();
    },
    async loadTop() {
      this.setData({ loading: true, error: "" });
      try {
        this.setData({ loading: false, top: (await fetchFaqItems()).slice(0, TOP_QUESTIONS) });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ q: e.detail.value });
      if (!e.detail.value.trim()) this.setData({ result: null });
    },
    async search() {
      const q = this.data.q.trim();
      if (!q || this.data.searching) return;
      this.setData({ searching: true });
      try {
        const match = await matchFaq(q.slice(0, 200));
        let result: Result;
        if (match.kind === "answer") result = { kind: "answer", question: match.faq.question, answer: match.faq.answer };
        else if (match.kind === "choices") result = { kind: "choices", choices: match.choices };
        else if (match.kind === "greeting") result = { kind: "reply", text: "您好！请直接输入您的问题，例如“多久保养一次”。" };
        else if (match.kind === "thanks") result = { kind: "reply", text: match.reply };
        else result = { kind: "none" };
        this.setData({ result });
      } catch {
        // toast shown by request.ts
      } finally {
        this.setData({ searching: false });
      }
    },
    async pickChoice(e: WechatMiniprogram.BaseEvent) {
      try {
        const faq = await fetchFaqItem(String(e.currentTarget.dataset.id));
        this.setData({ result: { kind: "answer", question: faq.question, answer: faq.answer } });
      } catch {
        // toast shown by request.ts (the question was removed meanwhile)
      }
    },
    toggle(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset.id);
      this.setData({ openId: this.data.openId === id ? "" : id });
    },
    /** 联系人工: the chatbot (bound already, or a binding code to send it) and the stores' phones. */
    async contact() {
      this.setData({ contactOpen: true, contactLoading: true });
      const [binding, stores] = await Promise.all([fetchBotBinding().catch(() => null), fetchStoreContacts().catch(() => [] as StoreContact[])]);
      this.setData({ contactLoading: false, botBound: Boolean(binding?.bound), stores: stores.filter((s) => s.phone) });
    },
    async getBindCode() {
      try {
        const { code, expiresAt } = await requestBotBindingCode();
        this.setData({ bindCode: code, bindUntil: shanghaiDateTime(expiresAt).slice(11) });
      } catch {
        // toast shown by request.ts
      }
    },
    copyBindCode() {
      if (this.data.bindCode) wx.setClipboardData({ data: this.data.bindCode });
    },
    call(e: WechatMiniprogram.BaseEvent) {
      wx.makePhoneCall({ phoneNumber: String(e.currentTarget.dataset.phone) });
    },
  },
});
