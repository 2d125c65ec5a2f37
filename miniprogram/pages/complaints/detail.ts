import { answerSurvey, downloadComplaintPhoto, fetchComplaint, replyToComplaint, type ComplaintDetail } from "../../services/complaints";
import { messageOf } from "../../services/request";
import { shanghaiDateTime } from "../../utils/format";
import { pickAndUpload, type PickedPhoto } from "./photos";
import { statusTheme } from "./view";

type Message = ComplaintDetail["messages"][number] & { when: string };

const RATING_WORDS = ["", "非常不满意", "不满意", "一般", "满意", "非常满意"];

function compensationText(c: ComplaintDetail): string {
  const comp = c.resolution?.compensation;
  if (!comp) return "";
  return comp.type === "points" ? `补偿 ${comp.points ?? 0} 积分，已存入您的积分账户` : "补偿优惠券一张，已放入券包";
}

// 投诉详情 (opened by complaint messages with ?id=): the card, the thread (staff signed 客服 <number>), photos,
// a reply box with photos, the resolution, and the satisfaction survey while it is open (its answer after).
Component({
  data: {
    id: 0,
    loading: true,
    error: "",
    complaint: null as ComplaintDetail | null,
    theme: "primary",
    when: "",
    messages: [] as Message[],
    /** photo id → local file, filled as the downloads finish */
    photoPaths: {} as Record<string, string>,
    resolvedWhen: "",
    compensation: "",
    reply: "",
    replyPhotos: [] as PickedPhoto[],
    uploading: false,
    sending: false,
    rating: 0,
    ratingWord: "",
    solved: null as boolean | null,
    comment: "",
    surveying: false,
    answerText: "",
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: Number(query.id) || 0 });
      this.load();
    },
    async load() {
      const id = this.data.id;
      if (!(id > 0)) return this.setData({ loading: false, error: "没有找到这条投诉" });
      this.setData({ loading: !this.data.complaint, error: "" });
      try {
        const c = await fetchComplaint(id);
        const s = c.survey;
        this.setData({
          loading: false,
          complaint: c,
          theme: statusTheme(c.status),
          when: shanghaiDateTime(c.createdAt),
          messages: c.messages.map((m) => ({ ...m, when: shanghaiDateTime(m.createdAt) })),
          resolvedWhen: c.resolution ? shanghaiDateTime(c.resolution.resolvedAt) : "",
          compensation: compensationText(c),
          answerText: s.answered ? `${s.rating} 星（${RATING_WORDS[s.rating ?? 0]}）· ${s.solved ? "问题已解决" : "问题未解决"}${s.comment ? ` · ${s.comment}` : ""}` : "",
        });
        this.loadPhotos([...c.photoIds, ...c.messages.flatMap((m) => m.photoIds)]);
      } catch (err) {
        this.setData({ loading: false, error: (err as { status?: number }).status === 404 ? "没有找到这条投诉" : messageOf(err) });
      }
    },
    async loadPhotos(ids: number[]) {
      const missing = ids.filter((pid) => !this.data.photoPaths[pid]);
      await Promise.all(
        missing.map(async (pid) => {
          const path = await downloadComplaintPhoto(this.data.id, pid).catch(() => "");
          if (path) this.setData({ [`photoPaths.${pid}`]: path });
        }),
      );
    },
    preview(e: WechatMiniprogram.BaseEvent) {
      const current = String(e.currentTarget.dataset.path);
      if (current) wx.previewImage({ current, urls: Object.values(this.data.photoPaths) });
    },
    onReply(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ reply: e.detail.value });
    },
    async addReplyPhotos() {
      if (this.data.uploading) return;
      this.setData({ uploading: true });
      const added = await pickAndUpload(this.data.replyPhotos.length);
      this.setData({ uploading: false, replyPhotos: [...this.data.replyPhotos, ...added] });
    },
    removeReplyPhoto(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ replyPhotos: this.data.replyPhotos.filter((_, i) => i !== index) });
    },
    async sendReply() {
      const body = this.data.reply.trim();
      if (!body || this.data.sending) return;
      this.setData({ sending: true });
      try {
        await replyToComplaint(this.data.id, body, this.data.replyPhotos.map((p) => p.id), `complaint-reply:${this.data.id}:${this.data.messages.length}`);
        this.setData({ reply: "", replyPhotos: [] });
        wx.showToast({ title: "已发送，客服会尽快回复您", icon: "none" });
        await this.load();
      } catch {
        // toast shown by request.ts; the text stays for another try
      } finally {
        this.setData({ sending: false });
      }
    },
    onRating(e: WechatMiniprogram.CustomEvent<{ value: number }>) {
      const rating = Math.round(Number(e.detail.value));
      this.setData({ rating, ratingWord: RATING_WORDS[rating] ?? "" });
    },
    pickSolved(e: WechatMiniprogram.BaseEvent) {
      this.setData({ solved: e.currentTarget.dataset.solved === "yes" });
    },
    onComment(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ comment: e.detail.value });
    },
    async submitSurvey() {
      const { rating, solved, comment, surveying } = this.data;
      if (surveying || rating < 1 || solved === null) return;
      this.setData({ surveying: true });
      try {
        await answerSurvey(this.data.id, { rating, solved, ...(comment.trim() ? { comment: comment.trim() } : {}) });
        wx.showToast({ title: "感谢您的评价", icon: "none" });
        await this.load();
      } catch {
        // toast shown by request.ts (e.g. already answered, or the survey window has closed)
        await this.load();
      } finally {
        this.setData({ surveying: false });
      }
    },
  },
});
