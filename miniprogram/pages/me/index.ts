import { bindPhone, fetchMemberCard, updateProfile, type MemberCard } from "../../services/member";
import { fetchBotBinding, fetchPreferences, requestBotBindingCode, setMarketingOptOut } from "../../services/notify";
import { messageOf } from "../../services/request";
import { askSubscribe, fetchSubscriptions, type SubscriptionLeft } from "../../services/subscribe";
import { shanghaiToday } from "../../utils/format";
import { countdownText, maskPhone } from "./view";

let ticker: ReturnType<typeof setInterval> | null = null;

// 我的 (tab): profile (nickname, birthday, phone by WeChat's phone button), message settings (marketing switch,
// reminders left per kind and a button to allow more), the chatbot binding code with its countdown, links.
Component({
  data: {
    loading: true,
    error: "",
    card: null as MemberCard | null,
    phoneText: "",
    nickname: "",
    savingName: false,
    marketing: true,
    reminders: [] as SubscriptionLeft[],
    botBound: false,
    bindCode: "",
    bindExpiresAt: "",
    countdown: "",
    today: shanghaiToday(),
  },
  lifetimes: {
    detached() {
      if (ticker) clearInterval(ticker);
      ticker = null;
    },
  },
  methods: {
    onShow() {
      this.load();
    },
    async load() {
      this.setData({ loading: !this.data.card, error: "" });
      try {
        const [card, prefs, subs, binding] = await Promise.all([fetchMemberCard(), fetchPreferences(), fetchSubscriptions(), fetchBotBinding()]);
        this.showCard(card);
        this.setData({ loading: false, marketing: !prefs.marketingOptOut, reminders: subs.templates, botBound: binding.bound });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    showCard(card: MemberCard) {
      this.setData({ card, nickname: card.nickname, phoneText: card.phone ? maskPhone(card.phone) : "" });
    },
    onNicknameInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ nickname: e.detail.value });
    },
    async saveNickname() {
      const nickname = this.data.nickname.trim();
      if (!nickname) return wx.showToast({ title: "请输入昵称", icon: "none" });
      this.setData({ savingName: true });
      try {
        this.showCard(await updateProfile({ nickname }));
        wx.showToast({ title: "已保存", icon: "none" });
      } catch {
        // toast shown by request.ts
      } finally {
        this.setData({ savingName: false });
      }
    },
    async onBirthday(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      try {
        this.showCard(await updateProfile({ birthday: e.detail.value }));
        wx.showToast({ title: "生日已保存，生日月消费积分加倍", icon: "none" });
      } catch {
        // toast shown by request.ts
      }
    },
    /** open-type="getPhoneNumber": WeChat hands over a one-time code the server exchanges for the number. */
    async onPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      if (!e.detail.code) return wx.showToast({ title: "未授权手机号，可稍后再绑定", icon: "none" });
      try {
        this.showCard(await bindPhone(e.detail.code));
        wx.showToast({ title: "手机号已绑定", icon: "none" });
      } catch {
        // toast shown by request.ts
      }
    },
    async onMarketing(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const on = e.detail.value;
      this.setData({ marketing: on });
      try {
        const prefs = await setMarketingOptOut(!on);
        this.setData({ marketing: !prefs.marketingOptOut });
        wx.showToast({ title: on ? "已开启优惠活动消息" : "已关闭优惠活动消息，服务通知不受影响", icon: "none" });
      } catch {
        this.setData({ marketing: !on });
      }
    },
    /** Must stay a tap handler: WeChat only shows the consent dialog inside one. */
    async allowMore() {
      // WeChat takes 3 templates a call: ask first for the kinds with the fewest messages left
      const kinds = [...this.data.reminders].sort((a, b) => a.remaining - b.remaining).map((r) => r.kind);
      await askSubscribe(kinds);
      const subs = await fetchSubscriptions().catch(() => null);
      if (subs) this.setData({ reminders: subs.templates });
    },
    async getBindCode() {
      try {
        const { code, expiresAt } = await requestBotBindingCode();
        this.setData({ bindCode: code, bindExpiresAt: expiresAt });
        this.tick();
        if (ticker) clearInterval(ticker);
        ticker = setInterval(() => this.tick(), 1000);
      } catch {
        // toast shown by request.ts
      }
    },
    tick() {
      const text = countdownText(this.data.bindExpiresAt, Date.now());
      this.setData({ countdown: text });
      if (!text && ticker) {
        clearInterval(ticker);
        ticker = null;
        this.setData({ bindCode: "" });
      }
    },
    copyBindCode() {
      if (this.data.bindCode) wx.setClipboardData({ data: this.data.bindCode });
    },
    go(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: String(e.currentTarget.dataset.url) });
    },
  },
});
