import { describe, expect, it } from 'vitest';
import {
  describeInstant,
  isValidTimezone,
  nextRunAfter,
  parseTime,
  slotsBetween,
  type DeliverySchedule,
} from '../../src/subscriptions/schedule.js';

const at = (iso: string) => new Date(iso);
const schedule = (time: string, timezone: string, days: DeliverySchedule['days'] = 'every-day'): DeliverySchedule => ({
  time,
  timezone,
  days,
});

describe('nextRunAfter', () => {
  it.each([
    ['UTC, later the same day', schedule('09:00', 'UTC'), '2026-08-21T08:59:00Z', '2026-08-21T09:00:00.000Z'],
    [
      'UTC, exactly at the slot: the next day',
      schedule('09:00', 'UTC'),
      '2026-08-21T09:00:00Z',
      '2026-08-22T09:00:00.000Z',
    ],
    [
      'weekdays: Friday after the slot goes to Monday',
      schedule('09:00', 'UTC', 'weekdays'),
      '2026-08-21T10:00:00Z',
      '2026-08-24T09:00:00.000Z',
    ],
    [
      'weekdays are local: Friday 23:30 UTC is Saturday in Tokyo',
      schedule('08:00', 'Asia/Tokyo', 'weekdays'),
      '2026-08-21T23:30:00Z',
      '2026-08-23T23:00:00.000Z',
    ],
    [
      'Berlin summer time (UTC+2)',
      schedule('09:00', 'Europe/Berlin'),
      '2026-08-21T06:00:00Z',
      '2026-08-21T07:00:00.000Z',
    ],
    [
      'Berlin winter time (UTC+1)',
      schedule('09:00', 'Europe/Berlin'),
      '2026-12-01T06:00:00Z',
      '2026-12-01T08:00:00.000Z',
    ],
    [
      'half-hour zone (Kolkata, UTC+5:30)',
      schedule('09:00', 'Asia/Kolkata'),
      '2026-08-21T00:00:00Z',
      '2026-08-21T03:30:00.000Z',
    ],
    [
      '45-minute zone (Chatham, UTC+12:45 in winter)',
      schedule('09:00', 'Pacific/Chatham'),
      '2026-07-01T00:00:00Z',
      '2026-07-01T20:15:00.000Z',
    ],
    ['midnight local', schedule('00:00', 'America/Los_Angeles'), '2026-08-21T06:00:00Z', '2026-08-21T07:00:00.000Z'],
  ])('%s', (_what, sched, after, expected) => {
    expect(nextRunAfter(sched, at(after)).toISOString()).toBe(expected);
  });

  describe('spring forward (New York, 2026-03-08: 02:00 jumps to 03:00)', () => {
    it('GIVEN a slot inside the gap (02:30) THEN it happens once, at 03:30 EDT', () => {
      const slot = nextRunAfter(schedule('02:30', 'America/New_York'), at('2026-03-08T05:00:00Z'));
      expect(slot.toISOString()).toBe('2026-03-08T07:30:00.000Z');
      expect(nextRunAfter(schedule('02:30', 'America/New_York'), slot).toISOString()).toBe('2026-03-09T06:30:00.000Z');
    });

    it('GIVEN 09:00 THEN the day before is 14:00 UTC and the day of is 13:00 UTC', () => {
      const sched = schedule('09:00', 'America/New_York');
      const before = nextRunAfter(sched, at('2026-03-07T00:00:00Z'));
      const after = nextRunAfter(sched, before);
      expect([before.toISOString(), after.toISOString()]).toEqual([
        '2026-03-07T14:00:00.000Z',
        '2026-03-08T13:00:00.000Z',
      ]);
    });
  });

  describe('fall back (New York, 2026-11-01: 02:00 goes back to 01:00)', () => {
    it('GIVEN a slot in the repeated hour (01:30) THEN exactly one delivery that day', () => {
      const sched = schedule('01:30', 'America/New_York');
      const slots = slotsBetween(sched, at('2026-10-31T12:00:00Z'), at('2026-11-02T12:00:00Z'), 10);
      expect(slots.map((slot) => slot.toISOString())).toEqual(['2026-11-01T06:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    });

    it('GIVEN 09:00 THEN 13:00 UTC before the change and 14:00 UTC after', () => {
      const slots = slotsBetween(
        schedule('09:00', 'America/New_York'),
        at('2026-10-31T00:00:00Z'),
        at('2026-11-01T23:00:00Z'),
        10,
      );
      expect(slots.map((slot) => slot.toISOString())).toEqual(['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z']);
    });
  });

  it('GIVEN the southern hemisphere (Sydney springs forward 2026-10-04) THEN 09:00 local shifts from 23:00 to 22:00 UTC', () => {
    const slots = slotsBetween(
      schedule('09:00', 'Australia/Sydney'),
      at('2026-10-02T00:00:00Z'),
      at('2026-10-04T23:30:00Z'),
      10,
    );
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      '2026-10-02T23:00:00.000Z',
      '2026-10-03T22:00:00.000Z',
      '2026-10-04T22:00:00.000Z',
    ]);
  });

  it('GIVEN a bad time or zone THEN a RangeError', () => {
    expect(() => nextRunAfter(schedule('9am', 'UTC'), at('2026-08-21T00:00:00Z'))).toThrow(RangeError);
    expect(() => nextRunAfter(schedule('09:00', 'Mars/Olympus_Mons'), at('2026-08-21T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('slotsBetween', () => {
  it('GIVEN more slots than the limit THEN the newest ones, oldest first', () => {
    const slots = slotsBetween(schedule('09:00', 'UTC'), at('2026-08-01T00:00:00Z'), at('2026-08-10T12:00:00Z'), 3);
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      '2026-08-08T09:00:00.000Z',
      '2026-08-09T09:00:00.000Z',
      '2026-08-10T09:00:00.000Z',
    ]);
  });
});

describe('parsing and describing', () => {
  it.each([
    ['09:00', { hour: 9, minute: 0 }],
    ['23:59', { hour: 23, minute: 59 }],
    ['24:00', null],
    ['9:00', null],
    ['09:60', null],
    ['', null],
  ])('parseTime(%j)', (input, expected) => {
    expect(parseTime(input)).toEqual(expected);
  });

  it('GIVEN zone names THEN only IANA ones are valid', () => {
    expect(isValidTimezone('Europe/Berlin')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('Europe/Berln')).toBe(false);
  });

  it('GIVEN an instant THEN local time with the zone and the UTC equivalent', () => {
    expect(describeInstant(at('2026-08-24T07:00:00Z'), 'Europe/Berlin')).toBe(
      'Mon 2026-08-24 09:00 Europe/Berlin (07:00 UTC)',
    );
    expect(describeInstant(at('2026-08-24T07:00:00Z'), 'UTC')).toBe('Mon 2026-08-24 07:00 UTC');
  });
});
