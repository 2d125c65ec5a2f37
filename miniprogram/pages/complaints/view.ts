/** Tag colours of the member's status words: done is grey, waiting on the member is orange, the rest in progress. */
export function statusTheme(status: string): string {
  if (status === "closed") return "default";
  if (status === "waiting" || status === "resolved") return "warning";
  return "primary";
}

/** The first line of what the member wrote, short enough for a list row. */
export function excerpt(text: string, max = 40): string {
  const line = text.split("\n")[0];
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
