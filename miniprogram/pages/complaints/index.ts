import { fetchMyComplaints, type ComplaintSummary } from "../../services/complaints";
import { shanghaiDateTime } from "../../utils/format";
import { initialList, listFor, type ListState } from "../../utils/list";
import { excerpt, statusTheme } from "./view";

type Row = ComplaintSummary & { when: string; theme: string; summary: string };

async function fetchRows(page: number, size: number) {
  const result = await fetchMyComplaints(page, size);
  return { ...result, items: result.items.map((c): Row => ({ ...c, when: shanghaiDateTime(c.createdAt), theme: statusTheme(c.status), summary: excerpt(c.content) })) };
}

// 我的投诉: the member's complaints, newest first, with the status in words (no SLA figures); paged, pull to refresh.
Component({
  data: { list: initialList<Row>() as ListState<Row> },
  methods: {
    complaints() {
      return listFor<Row>(this, fetchRows);
    },
    onShow() {
      this.complaints().refresh();
    },
    onPullDownRefresh() {
      this.complaints().refresh(true);
    },
    onReachBottom() {
      this.complaints().more();
    },
    retry() {
      this.complaints().refresh();
    },
    open(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: `/pages/complaints/detail?id=${e.currentTarget.dataset.id}` });
    },
    fileNew() {
      wx.navigateTo({ url: "/pages/complaints/new" });
    },
  },
});
