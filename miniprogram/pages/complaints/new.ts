import { CATEGORIES, DEMANDS, PHOTOS_PER_MESSAGE, fetchComplaintSubjects, fileComplaint } from "../../services/complaints";
import { messageOf } from "../../services/request";
import { askSubscribe } from "../../services/subscribe";
import { shanghaiDateTime } from "../../utils/format";
import { pickAndUpload, type PickedPhoto } from "./photos";

/** What the complaint concerns: nothing in particular, one of the member's cars, or one of their bookings. */
interface Subject {
  label: string;
  assetId?: number;
  bookingId?: number;
}

const NO_SUBJECT: Subject = { label: "不涉及具体车辆或预约" };

// 投诉与建议: category, what happened, what the member asks for, the car or booking, up to 3 photos; files it once.
Component({
  data: {
    loading: true,
    error: "",
    categoryNames: CATEGORIES.map((c) => c.name),
    demandNames: DEMANDS.map((d) => d.name),
    categoryIndex: -1,
    demandIndex: -1,
    content: "",
    subjects: [NO_SUBJECT] as Subject[],
    subjectLabels: [NO_SUBJECT.label],
    subjectIndex: 0,
    photos: [] as PickedPhoto[],
    maxPhotos: PHOTOS_PER_MESSAGE,
    uploading: false,
    submitting: false,
    ready: false,
    formId: "",
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ formId: `${Date.now().toString(36)}` });
      this.load(Number(query.assetId) || 0, Number(query.bookingId) || 0);
    },
    async load(assetId = 0, bookingId = 0) {
      this.setData({ loading: true, error: "" });
      try {
        const { cars, bookings } = await fetchComplaintSubjects();
        const subjects: Subject[] = [
          NO_SUBJECT,
          ...cars.map((c) => ({ label: `车辆 ${c.plate}${c.model ? ` · ${c.model}` : ""}`, assetId: c.id })),
          ...bookings.map((b) => ({ label: `预约 ${shanghaiDateTime(b.start)} ${b.services.map((s) => s.name).filter(Boolean).join("、")}${b.plate ? ` · ${b.plate}` : ""}`, bookingId: b.id })),
        ];
        const preset = subjects.findIndex((s) => (bookingId && s.bookingId === bookingId) || (assetId && s.assetId === assetId));
        this.setData({ loading: false, subjects, subjectLabels: subjects.map((s) => s.label), subjectIndex: Math.max(preset, 0) });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    refreshReady() {
      const { categoryIndex, demandIndex, content, uploading } = this.data;
      this.setData({ ready: categoryIndex >= 0 && demandIndex >= 0 && content.trim().length > 0 && !uploading });
    },
    onCategory(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ categoryIndex: Number(e.detail.value) });
      this.refreshReady();
    },
    onDemand(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ demandIndex: Number(e.detail.value) });
      this.refreshReady();
    },
    onSubject(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ subjectIndex: Number(e.detail.value) });
    },
    onContent(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ content: e.detail.value });
      this.refreshReady();
    },
    async addPhotos() {
      if (this.data.uploading) return;
      this.setData({ uploading: true });
      this.refreshReady();
      const added = await pickAndUpload(this.data.photos.length);
      this.setData({ uploading: false, photos: [...this.data.photos, ...added] });
      this.refreshReady();
    },
    removePhoto(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ photos: this.data.photos.filter((_, i) => i !== index) });
    },
    /** A tap handler: WeChat shows the consent dialog only inside one, so it is asked before the first await. */
    async submit() {
      const { categoryIndex, demandIndex, content, subjects, subjectIndex, photos, submitting, formId } = this.data;
      if (submitting) return;
      if (categoryIndex < 0 || demandIndex < 0 || !content.trim()) return wx.showToast({ title: "请选择类别、填写经过和您的要求", icon: "none" });
      this.setData({ submitting: true });
      const subject = subjects[subjectIndex] ?? NO_SUBJECT;
      const consent = askSubscribe(["complaint_resolved"]);
      try {
        const filed = await fileComplaint(
          {
            category: CATEGORIES[categoryIndex].code,
            demand: DEMANDS[demandIndex].code,
            content: content.trim(),
            ...(subject.assetId ? { assetId: subject.assetId } : {}),
            ...(subject.bookingId ? { bookingId: subject.bookingId } : {}),
            ...(photos.length ? { photoIds: photos.map((p) => p.id) } : {}),
          },
          `complaint:${formId}`,
        );
        await consent;
        wx.showToast({ title: `已提交，编号 ${filed.number}`, icon: "none" });
        wx.redirectTo({ url: `/pages/complaints/detail?id=${filed.id}` });
      } catch {
        // the server's message was shown as a toast; the form keeps what the member wrote
        this.setData({ submitting: false });
      }
    },
  },
});
