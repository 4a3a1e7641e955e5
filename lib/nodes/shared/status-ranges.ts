// Matches an HTTP status against a list such as "200-299,404" or "2xx".

export function statusMatches(status: number, ranges: string): boolean {
  return ranges
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .some((part) => {
      const wildcard = /^([1-5])xx$/.exec(part);
      if (wildcard) return Math.floor(status / 100) === Number(wildcard[1]);
      const [from, to] = part.split("-").map((n) => Number(n.trim()));
      return to === undefined ? status === from : status >= from && status <= to;
    });
}
