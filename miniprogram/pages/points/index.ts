import { fetchMemberCard, type MemberCard } from "../../services/member";
import { fetchExpiringLots, fetchLedger, type ExpiringLot, type LedgerRow } from "../../services/points";
import { messageOf } from "../../services/request";
import { shanghaiDate, shanghaiDateTime } from "../../utils/format";
import { initialList, listFor, type ListState } from "../../utils/list";

type Row = LedgerRow & { deltaText: string; when: string };

const toRow = (r: LedgerRow): Row => ({ ...r, deltaText: r.delta > 0 ? `+${r.delta}` : String(r.delta), when: shanghaiDateTime(r.createdAt) });

async function fetchRows(page: number, size: number) {
  const result = await fetchLedger(page, size);
  return { ...result, items: result.items.map(toRow) };
}

// 积分明细: balance, the points expiring within 30 days, when each lot of points expires, and the ledger (paged, pull to refresh).
Component({
  data: { card: null as MemberCard | null, expiring: "", cardError: "", lots: [] as ExpiringLot[], list: initialList<Row>() as ListState<Row> },
  methods: {
    onLoad() {
      this.loadCard();
      this.ledger().refresh();
    },
    onPullDownRefresh() {
      this.loadCard();
      this.ledger().refresh(true);
    },
    onReachBottom() {
      this.ledger().more();
    },
    ledger() {
      return listFor<Row>(this, fetchRows);
    },
    async loadCard() {
      try {
        const [card, lots] = await Promise.all([fetchMemberCard(), fetchExpiringLots()]);
        const { points, firstExpiresAt } = card.expiringIn30Days;
        const expiring = points > 0 && firstExpiresAt ? `${points} 积分将于 ${shanghaiDate(firstExpiresAt)} 起陆续过期，请及时兑换` : "30 天内没有即将过期的积分";
        this.setData({ card, expiring, lots: lots.items, cardError: "" });
      } catch (err) {
        this.setData({ cardError: messageOf(err) });
      }
    },
    retry() {
      this.ledger().refresh();
    },
    openMall() {
      wx.navigateTo({ url: "/pages/points/mall" });
    },
  },
});
