import { fetchMemberCard, rotateMemberCode, type MemberCard } from "../../../services/member";
import type { ApiFailure } from "../../../services/request";
import { shanghaiDate } from "../../../utils/format";

function expiringText(card: MemberCard): string {
  const { points, firstExpiresAt } = card.expiringIn30Days;
  return points > 0 && firstExpiresAt ? `${points} 积分将于 ${shanghaiDate(firstExpiresAt)} 起陆续过期` : "";
}

// Built with Component() (WeChat supports pages as components), so it renders in tests too.
Component({
  data: { loading: true, error: "", card: null as MemberCard | null, expiring: "" },
  lifetimes: {
    attached() {
      this.load();
    },
  },
  methods: {
    async load() {
      this.setData({ loading: true, error: "" });
      try {
        const card = await fetchMemberCard();
        this.setData({ loading: false, card, expiring: expiringText(card) });
      } catch (err) {
        this.setData({ loading: false, error: (err as ApiFailure).message ?? "加载失败" });
      }
    },
    async rotate() {
      const card = await rotateMemberCode();
      this.setData({ card, expiring: expiringText(card) });
    },
  },
});
