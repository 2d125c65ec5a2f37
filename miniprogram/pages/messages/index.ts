import { fetchMessages, type MemberMessage } from "../../services/notify";
import { shanghaiDateTime } from "../../utils/format";
import { initialList, listFor, type ListState } from "../../utils/list";

type Row = MemberMessage & { when: string };

async function fetchRows(page: number, size: number) {
  const result = await fetchMessages(page, size);
  return { ...result, items: result.items.map((m): Row => ({ ...m, when: shanghaiDateTime(m.sentAt ?? m.createdAt) })) };
}

// 我的消息: what was sent to the member and by which channel (paged, pull to refresh).
Component({
  data: { list: initialList<Row>() as ListState<Row> },
  methods: {
    messages() {
      return listFor<Row>(this, fetchRows);
    },
    onLoad() {
      this.messages().refresh();
    },
    onPullDownRefresh() {
      this.messages().refresh(true);
    },
    onReachBottom() {
      this.messages().more();
    },
    retry() {
      this.messages().refresh();
    },
  },
});
