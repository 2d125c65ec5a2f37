/** Everything the bot says on its own, in one place (Simplified Chinese). */

const entries = (o: Record<string, string>) => Object.entries(o).map(([code, name]) => ({ code, name }));
/** mirrors server/complaints/categories.ts CATEGORIES and DEMANDS (code → name), in the order offered */
export const COMPLAINT_CATEGORIES = entries({ service_attitude: "服务态度", repair_quality: "维修质量", parts: "配件质量", price: "收费价格", waiting_time: "等待时间", booking: "预约服务", other: "其他" });
export const COMPLAINT_DEMANDS = entries({ explanation: "给予解释", apology: "赔礼道歉", repair: "返修处理", refund: "退还费用", compensation: "经济补偿", return_exchange: "退车或换车", other: "其他" });

export const numbered = (lines: string[]) => lines.map((line, i) => `${i + 1}. ${line}`).join("\n");

export const T = {
  menu: [
    "您好，我是门店微信客服，可以发送：",
    "「积分」查积分和即将过期的积分",
    "「券」查可用优惠券",
    "「预约」查我的预约",
    "「投诉」提交投诉，「投诉进度」查处理进度",
    "「评价」评价投诉处理结果",
    "「人工」转人工客服",
    "「TD」退订营销消息",
    "「解绑」解除微信绑定",
    "其他问题直接输入即可，例如“营业时间”“保养多少钱”。",
  ].join("\n"),
  invite: "绑定会员后可查积分、优惠券和预约：打开小程序「我的」→「绑定微信客服」，把显示的 6 位绑定码发给我即可。",
  needBinding: "该功能需要先绑定会员。",
  privacy: "为保护您的隐私，请私聊我查询。",
  privateCode: "为保护您的账号安全，请私聊我发送绑定码。",
  alreadyBound: "您已绑定会员。如需更换账号，请先发送「解绑」。",
  bindCodeInvalid: (left: number | undefined) => `绑定码不正确或已过期，请在小程序重新获取后发送。${left !== undefined ? `还可尝试 ${left} 次。` : ""}`,
  bindLocked: (until: string) => `尝试次数过多，绑定已暂停，请于 ${until} 后再试。`,
  boundMember: (name: string) => `绑定成功！${name}，您好。发送「帮助」查看我能为您做什么。`,
  boundStaff: (name: string) => `绑定成功，${name}。会员转人工的消息会发到这里，回复格式：#编号 回复内容；“#编号 结束”结束会话。`,
  unbound: "已解除绑定。以后需要时可在小程序重新绑定。",
  notUnderstood: "抱歉，我没有理解您的问题。您可以换个说法再问一次，或回复「人工」转人工客服。",
  busy: "系统繁忙，请稍后再试。",
  faqUnavailable: "抱歉，智能问答暂时不可用。您可以回复「人工」转人工客服。",
  chooseFaq: (questions: string[]) => `您是想问以下哪个问题？请回复序号：\n${numbered(questions)}`,
  groupChoices: (questions: string[]) => `您可以@我问得具体一些，例如：\n${questions.map((q) => `· ${q}`).join("\n")}`,
  cancelled: "已取消。有需要随时找我。",
  nothingToCancel: "当前没有进行中的操作。发送「帮助」查看我能做什么。",
  handoffOpened: "已为您转接人工客服，请直接发送您的问题，客服会在这里回复您。",
  optOut: "已为您退订营销消息。保养提醒、预约通知等服务消息不受影响。",
  staffOnlyMember: "该功能仅限会员使用。",
  complaintAsk: "很抱歉给您带来不好的体验。请描述一下发生了什么（时间、门店、经过），我们会认真处理。\n回复「取消」可退出。",
  complaintTooShort: "请再多描述几句发生了什么（至少 5 个字），回复「取消」可退出。",
  complaintCategory: `请选择问题类别，回复序号：\n${numbered(COMPLAINT_CATEGORIES.map((c) => c.name))}`,
  complaintDemand: `您希望我们如何处理？回复序号：\n${numbered(COMPLAINT_DEMANDS.map((d) => d.name))}`,
  pickNumber: (n: number) => `请回复 1–${n} 的序号，或回复「取消」退出。`,
  complaintConfirm: (category: string, demand: string, content: string) =>
    `请确认您的投诉：\n类别：${category}\n诉求：${demand}\n经过：${content}\n回复「确认」提交，回复「取消」放弃。`,
  complaintConfirmAgain: "请回复「确认」提交投诉，或回复「取消」放弃。",
  complaintFiled: (number: string, status: string) => `投诉已提交，编号 ${number}，当前状态：${status}。我们会尽快与您联系，发送「投诉进度」可随时查询。`,
  complaintHandoff: "专员接手后会在这里直接回复您，您也可以继续补充情况。",
  noComplaints: "您暂无投诉记录。",
  surveyNone: "您目前没有待评价的投诉。",
  surveyPick: (numbers: string[]) => `您有多条待评价的投诉，请回复序号选择：\n${numbered(numbers)}`,
  surveyRating: (number: string) => `请为投诉 ${number} 的处理结果打分，回复 1–5（5 为非常满意）。`,
  surveyRatingAgain: "请回复 1–5 的数字打分，或回复「取消」退出。",
  surveySolved: "您的问题解决了吗？回复 1 已解决，回复 2 未解决。",
  surveyThanks: "感谢您的评价！",
  surveyReopened: "感谢您的反馈，我们会重新跟进处理，专员将尽快联系您。",
  noBookings: (path: string) => `您暂无待到店的预约。在线预约请打开小程序的「预约」页（${path}）。`,
  bookPath: (path: string) => `新的预约请打开小程序的「预约」页（${path}）。`,
  noCoupons: "您暂无可用优惠券。",
};
