import { UserFacingError } from '../errors.js';
import { addDays, isIsoDay } from '../papers/paper.js';

/** A day option: YYYY-MM-DD, "today" or "yesterday" (UTC, as HF's days are). */
export function parseDayOption(value: string, today: string): string {
  const text = value.trim().toLowerCase();
  if (text === 'today') return today;
  if (text === 'yesterday') return addDays(today, -1);
  if (isIsoDay(text)) return text;
  throw new UserFacingError(
    `"${value}" is not a date I understand: use YYYY-MM-DD (like ${today}), today or yesterday.`,
  );
}

const RELATIVE = /^(\d{1,4})\s*([dw])$/;

/** A `since` option: YYYY-MM-DD, or a span back from today such as 7d or 4w. */
export function parseSinceOption(value: string, today: string): string {
  const text = value.trim().toLowerCase();
  const relative = RELATIVE.exec(text);
  if (relative !== null) {
    const days = Number(relative[1]) * (relative[2] === 'w' ? 7 : 1);
    return addDays(today, -days);
  }
  if (isIsoDay(text)) return text;
  throw new UserFacingError(`"${value}" is not a "since" I understand: use YYYY-MM-DD, or a span like 7d or 4w.`);
}
