import { afterEach, describe, expect, it } from 'vitest';
import { parseEbaasTime } from '../src/read-token-response.js';

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('parseEbaasTime', () => {
  it('reads the document example as UTC+08:00: the example JWT iat + 7201 s', () => {
    // iat 1623998605 = 2021-06-18 14:43:25 in UTC+8; `expired` is 2021-06-18 16:43:26.
    expect(parseEbaasTime('2021-06-18 16:43:26')).toBe((1623998605 + 7201) * 1000);
    expect(parseEbaasTime('2021-06-18 16:43:26')).toBe(Date.UTC(2021, 5, 18, 8, 43, 26));
  });

  it('crosses midnight and year ends back into the previous UTC day', () => {
    expect(parseEbaasTime('2027-01-01 07:59:59')).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
    expect(parseEbaasTime('2024-02-29 00:00:00')).toBe(Date.UTC(2024, 1, 28, 16, 0, 0));
  });

  it.each(['America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati', 'UTC'])(
    'gives the same instant when the machine runs in %s',
    (zone) => {
      process.env.TZ = zone;
      // Guard: the zone really changed for this process, or this test would prove nothing.
      const expectedOffset = { 'America/New_York': 240, 'Asia/Shanghai': -480, 'Pacific/Kiritimati': -840, UTC: 0 }[zone];
      expect(new Date(Date.UTC(2021, 5, 18, 12)).getTimezoneOffset()).toBe(expectedOffset);
      expect(parseEbaasTime('2021-06-18 16:43:26')).toBe(1623998605000 + 7201_000);
      // A daylight-saving switch in the machine's zone (New York, 2026-03-08 02:00) changes nothing.
      expect(parseEbaasTime('2026-03-08 15:30:00')).toBe(Date.UTC(2026, 2, 8, 7, 30, 0));
    },
  );

  it.each([
    ['an ISO "T" separator', '2021-06-18T16:43:26'],
    ['a zone suffix', '2021-06-18 16:43:26+08:00'],
    ['fractional seconds', '2021-06-18 16:43:26.000'],
    ['slashes', '2021/06/18 16:43:26'],
    ['no seconds', '2021-06-18 16:43'],
    ['surrounding space', ' 2021-06-18 16:43:26'],
    ['a date alone', '2021-06-18'],
    ['an empty string', ''],
    ['epoch seconds as text', '1624005806'],
    ['February 30th', '2021-02-30 10:00:00'],
    ['February 29th of a common year', '2021-02-29 10:00:00'],
    ['month 13', '2021-13-01 10:00:00'],
    ['day 0', '2021-06-00 10:00:00'],
    ['hour 25', '2021-06-18 25:00:00'],
    ['hour 24', '2021-06-18 24:00:00'],
    ['minute 60', '2021-06-18 16:60:00'],
    ['a leap second', '2021-06-18 23:59:60'],
    ['a two-digit year padded to four', '0021-06-18 16:43:26'],
  ])('rejects %s', (_name, text) => {
    expect(parseEbaasTime(text)).toBeUndefined();
  });
});
