// The IANA time zones a schedule may use: UTC and every zone this runtime's Intl knows. Client-safe.
export const TIME_ZONES: [string, ...string[]] = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];

/** A schedule's next fire times as people read them, in the schedule's own time zone. */
export function formatInZone(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
}
