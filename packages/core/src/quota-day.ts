/**
 * The day a daily quota counts in: its date and the instant it ends, in a time zone the user gives. The
 * vendors reset their quotas at midnight in China (UTC+08:00), which is the default.
 */

/** The default quota time zone: the vendors' own (China Standard Time, no daylight saving). */
export const DEFAULT_QUOTA_TIME_ZONE = '+08:00';

const DAY_MS = 86_400_000;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** One quota day: its date in the zone (`YYYY-MM-DD`, names the counter) and when it ends (epoch ms). */
export interface QuotaDay {
  date: string;
  resetsAt: number;
}

/**
 * Turns `timeZone` — a fixed offset (`+08:00`, `-0530`, `Z`, `UTC`) or an IANA name (`Asia/Shanghai`) — into a
 * function from an instant to its quota day. Returns `undefined` for a zone it does not know.
 */
export function quotaCalendar(timeZone: string): ((now: number) => QuotaDay) | undefined {
  if (timeZone === 'Z' || timeZone === 'UTC') return fixedOffsetDay(0);
  const match = OFFSET.exec(timeZone);
  if (match) {
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    if (Number(match[2]) > 14 || Number(match[3]) > 59) return undefined;
    return fixedOffsetDay((match[1] === '-' ? -minutes : minutes) * 60_000);
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined;
  }
  const offsetAt = (instant: number): number => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return wall - Math.floor(instant / 1000) * 1000;
  };
  return (now) => {
    const offset = offsetAt(now);
    const { date, resetsAt } = fixedOffsetDay(offset)(now);
    // Daylight saving can change the offset before midnight: take the offset in force at the next midnight.
    const later = offsetAt(resetsAt);
    return { date, resetsAt: resetsAt - (later - offset) };
  };
}

function fixedOffsetDay(offsetMs: number): (now: number) => QuotaDay {
  return (now) => {
    const day = Math.floor((now + offsetMs) / DAY_MS);
    return { date: new Date(day * DAY_MS).toISOString().slice(0, 10), resetsAt: (day + 1) * DAY_MS - offsetMs };
  };
}
