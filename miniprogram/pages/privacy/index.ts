import { exportMyData, fetchAccessLog, type AccessRow } from "../../services/privacy";
import { messageOf } from "../../services/request";
import { shanghaiDateTime } from "../../utils/format";
import { initialList, listFor, type ListState } from "../../utils/list";

type Row = AccessRow & { when: string };

/** What each part of the export is called, with its count. */
const PARTS: [string, string][] = [["cars", "车辆"], ["pointsLedger", "积分记录"], ["coupons", "优惠券"], ["bookings", "预约"], ["serviceRecords", "服务记录"], ["complaints", "投诉"], ["messages", "消息"], ["accessLog", "查阅记录"]];

async function fetchRows(page: number, size: number) {
  const result = await fetchAccessLog(page, size);
  return { ...result, items: result.items.map((r): Row => ({ ...r, when: shanghaiDateTime(r.at) })) };
}

// 我的数据与隐私: who read my archive (查阅记录), and a copy of my data to take with me.
Component({
  data: { list: initialList<Row>() as ListState<Row>, exporting: false, summary: "", exportError: "" },
  methods: {
    log() {
      return listFor<Row>(this, fetchRows);
    },
    onLoad() {
      this.log().refresh();
    },
    onPullDownRefresh() {
      this.log().refresh(true);
    },
    onReachBottom() {
      this.log().more();
    },
    retry() {
      this.log().refresh();
    },
    async exportData() {
      if (this.data.exporting) return;
      this.setData({ exporting: true, exportError: "" });
      try {
        const data = await exportMyData();
        const summary = PARTS.map(([key, name]) => `${name} ${Array.isArray(data[key]) ? (data[key] as unknown[]).length : 0} 条`).join("，");
        wx.setClipboardData({ data: JSON.stringify(data, null, 2) });
        this.setData({ summary: `已复制到剪贴板：个人资料，${summary}。可粘贴保存。` });
      } catch (err) {
        this.setData({ exportError: messageOf(err) });
      } finally {
        this.setData({ exporting: false });
      }
    },
  },
});
