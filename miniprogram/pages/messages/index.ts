import { fetchMessages, type MemberMessage } from "../../services/notify";
import { shanghaiDateTime } from "../../utils/format";
import { initialList, pagedList, type ListState } from "../../utils/list";

type Row = MemberMessage & { when: string };
type Ledger = ReturnType<typeof pagedList<Row>>;

// 我的消息: what was sent to the member and by which channel (paged, pull to refresh).
Component({
  data: { list: initialList<Row>() as ListState<Row> },
  lifetimes: {
    created() {
      const self = this as unknown as { _messages: Ledger; setData(d: object): void };
      self._messages = pagedList<Row>(
        async (page, size) => {
          const result = await fetchMessages(page, size);
          return { ...result, items: result.items.map((m) => ({ ...m, when: shanghaiDateTime(m.sentAt ?? m.createdAt) })) };
        },
        (list) => self.setData({ list }),
      );
    },
  },
  methods: {
    messages(): Ledger {
      return (this as unknown as { _messages: Ledger })._messages;
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
