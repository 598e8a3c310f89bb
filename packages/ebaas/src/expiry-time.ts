/** China Standard Time, the zone of ebaas's `expired` (ruling 1): UTC+08:00, with no daylight saving. */
const UTC_PLUS_8_MS = 8 * 3_600_000;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Reads ebaas's `expired` (`YYYY-MM-DD HH:mm:ss`, a wall-clock time in UTC+08:00) as epoch ms on the
 * vendor's clock, or `undefined` when it is not exactly that form or names a time that does not exist.
 *
 * Only `Date.UTC` arithmetic is used, never the `Date` constructor's local-time parsing, so the result is
 * the same whatever the machine's time zone.
 */
export function parseEbaasTime(text: string): number | undefined {
  const match = WALL_CLOCK.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls impossible values over (2021-02-30 → March 2, 25:00 → the next day) and maps years
  // below 100 onto the 1900s: a value that does not survive the round trip was not a real time.
  const back = new Date(utc);
  const exact =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return exact ? utc - UTC_PLUS_8_MS : undefined;
}
