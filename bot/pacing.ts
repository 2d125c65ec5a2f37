/**
 * A guard against reply floods: at most `perMinute` replies to one conversation in any minute. A person
 * (or another bot) firing messages at us must not turn our account into a fast sender, which gets
 * personal-WeChat accounts banned. Kept in memory: losing it on a restart is harmless.
 */
export class ReplyLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly perMinute = 20,
    private readonly now = () => Date.now(),
  ) {}

  take(conversation: string): boolean {
    const since = this.now() - 60_000;
    const recent = (this.sent.get(conversation) ?? []).filter((t) => t > since);
    if (recent.length >= this.perMinute) return false;
    recent.push(this.now());
    this.sent.set(conversation, recent);
    if (this.sent.size > 10_000) this.sent.clear();
    return true;
  }
}
