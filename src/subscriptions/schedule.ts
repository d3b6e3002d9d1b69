import { DateTime, IANAZone } from 'luxon';

export type DeliveryDays = 'weekdays' | 'every-day';

/** When a channel gets its delivery: a local wall-clock time, in an IANA timezone, on some days of the week. */
export interface DeliverySchedule {
  /** HH:MM, 24 h. */
  readonly time: string;
  /** An IANA name such as "Europe/Berlin"; "UTC" by default. */
  readonly timezone: string;
  readonly days: DeliveryDays;
}

export const DEFAULT_SCHEDULE: DeliverySchedule = { time: '09:00', timezone: 'UTC', days: 'weekdays' };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** More than a week ahead means something is wrong: every schedule has a slot within 7 days. */
const MAX_DAYS_AHEAD = 8;

export function parseTime(time: string): { hour: number; minute: number } | null {
  const match = TIME.exec(time.trim());
  if (match === null) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * luxon's check builds a new Intl.DateTimeFormat on every call (about 27 KB of native ICU memory each, which the
 * allocator keeps), and the planner asks for every channel on every tick: the answers are memoised per name. The
 * memo is bounded because names come from users.
 */
const zoneValidity = new Map<string, boolean>();
const ZONE_MEMO_MAX = 1_000;

export function isValidTimezone(name: string): boolean {
  let valid = zoneValidity.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (zoneValidity.size >= ZONE_MEMO_MAX) zoneValidity.clear();
    zoneValidity.set(name, valid);
  }
  return valid;
}

/**
 * The first delivery instant strictly after `after`. Each local date has exactly one slot: on a spring-forward day
 * a time that does not exist moves forward with the clock (02:30 becomes 03:30); on a fall-back day a time that
 * happens twice is taken once. Weekdays are Monday to Friday in the channel's own timezone.
 */
export function nextRunAfter(schedule: DeliverySchedule, after: Date): Date {
  const time = parseTime(schedule.time);
  if (time === null) throw new RangeError(`Not an HH:MM time: ${schedule.time}`);
  if (!isValidTimezone(schedule.timezone)) throw new RangeError(`Not an IANA timezone: ${schedule.timezone}`);
  const start = DateTime.fromJSDate(after, { zone: schedule.timezone }).startOf('day');
  for (let offset = 0; offset <= MAX_DAYS_AHEAD; offset += 1) {
    const date = start.plus({ days: offset });
    if (schedule.days === 'weekdays' && date.weekday > 5) continue;
    const slot = DateTime.fromObject(
      { year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute },
      { zone: schedule.timezone },
    );
    if (slot.toMillis() > after.getTime()) return slot.toJSDate();
  }
  throw new Error(`No delivery slot within ${String(MAX_DAYS_AHEAD)} days for ${JSON.stringify(schedule)}`);
}

/** Every slot in (from, to], oldest first, at most `limit` (the newest ones when there are more). */
export function slotsBetween(schedule: DeliverySchedule, from: Date, to: Date, limit: number): Date[] {
  const slots: Date[] = [];
  for (let slot = nextRunAfter(schedule, from); slot.getTime() <= to.getTime(); slot = nextRunAfter(schedule, slot)) {
    slots.push(slot);
    if (slots.length > limit) slots.shift();
  }
  return slots;
}

/** "Mon 09:00 Europe/Berlin (07:00 UTC)": how a delivery time reads to the channel's admins. */
export function describeInstant(instant: Date, timezone: string): string {
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  const utc = DateTime.fromJSDate(instant, { zone: 'UTC' });
  const localText = local.toFormat('ccc yyyy-MM-dd HH:mm');
  return timezone === 'UTC' ? `${localText} UTC` : `${localText} ${timezone} (${utc.toFormat('HH:mm')} UTC)`;
}
