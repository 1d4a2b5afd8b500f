import { isCalendarDate } from '../../shared/calendar-date.js';
import { ApplicationError } from '../../shared/errors.js';

/** Both ends inclusive. */
export interface DateRange {
  from: string;
  to: string;
}

/**
 * Working and rest days for the appraisal windows (DOMAIN.md §4.2 step 4, §4.3): 公示 runs on working
 * days of the Chinese official calendar (with 调休), and 复核 / 申诉 deadlines may roll off rest days.
 * Dates are calendar days in Asia/Shanghai, written YYYY-MM-DD.
 */
export interface WorkCalendar {
  /** Where the holiday data comes from (package and version), so a trace can name it. */
  readonly source: string;
  /** The days the calendar has data for. */
  readonly coveredRange: DateRange;
  /** Throws DateNotCoveredError for a day outside `coveredRange`. */
  isWorkingDay(date: string): boolean;
  covers(date: string): boolean;
}

export class InvalidDateError extends ApplicationError {
  constructor(value: string) {
    super('INVALID_DATE', `not a calendar date in the form YYYY-MM-DD: "${value}"`, { value });
  }
}

export class DateNotCoveredError extends ApplicationError {
  constructor(calendar: WorkCalendar, date: string) {
    const { from, to } = calendar.coveredRange;
    super('DATE_NOT_COVERED', `the working-day calendar ${calendar.source} has no data for ${date}: it covers ${from} to ${to}`, {
      date,
      source: calendar.source,
      coveredFrom: from,
      coveredTo: to,
    });
  }
}

const MS_PER_DAY = 86_400_000;
const SUNDAY = 0;
const SATURDAY = 6;

function unvalidatedEpochDay(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

function epochDay(date: string): number {
  if (!isCalendarDate(date)) throw new InvalidDateError(date);
  return unvalidatedEpochDay(date);
}

function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return fromEpochDay(epochDay(date) + days);
}

/** Negative when `a` is before `b`, zero on the same day, positive after: usable as a sort comparator. */
export function compareDates(a: string, b: string): number {
  return epochDay(a) - epochDay(b);
}

function isWeekend(date: string): boolean {
  const weekday = new Date(epochDay(date) * MS_PER_DAY).getUTCDay();
  return weekday === SATURDAY || weekday === SUNDAY;
}

function isWithin(range: DateRange, date: string): boolean {
  return compareDates(date, range.from) >= 0 && compareDates(date, range.to) <= 0;
}

/** Checks coverage itself so that no calendar implementation can answer for a day it has no data on. */
function isWorkingDayIn(calendar: WorkCalendar, date: string): boolean {
  if (!calendar.covers(date)) throw new DateNotCoveredError(calendar, date);
  return calendar.isWorkingDay(date);
}

export interface HolidayTable {
  source: string;
  coveredRange: DateRange;
  /** Days off: statutory holidays and the days joined to them, weekend or not. */
  holidays: Iterable<string>;
  /** 调休: weekend days worked in exchange for days joined to a holiday. */
  makeUpWorkdays: Iterable<string>;
}

/** Monday to Friday are working days unless a holiday; a make-up workday is a working day whatever its weekday. */
export function holidayTableCalendar(table: HolidayTable): WorkCalendar {
  const holidays = new Set(table.holidays);
  const makeUpWorkdays = new Set(table.makeUpWorkdays);
  const coveredRange = { ...table.coveredRange };
  const calendar: WorkCalendar = {
    source: table.source,
    coveredRange,
    covers: (date) => isWithin(coveredRange, date),
    isWorkingDay: (date) => {
      if (!isWithin(coveredRange, date)) throw new DateNotCoveredError(calendar, date);
      return makeUpWorkdays.has(date) || (!isWeekend(date) && !holidays.has(date));
    },
  };
  return calendar;
}

export interface PublicNotice {
  /** The working days the notice runs on, in order. */
  workingDays: string[];
  lastDay: string;
  /** The first day the noticed grade may be finalised: the day after the notice ends. */
  finalFrom: string;
}

/** 公示 for `workingDays` working days, counting `startDate` if it is a working day itself. */
export function publicNotice(calendar: WorkCalendar, startDate: string, workingDays: number): PublicNotice {
  requireCount('workingDays', workingDays);
  const days: string[] = [];
  for (let date = startDate; days.length < workingDays; date = addDays(date, 1)) {
    if (isWorkingDayIn(calendar, date)) days.push(date);
  }
  const lastDay = days[days.length - 1];
  return { workingDays: days, lastDay, finalFrom: addDays(lastDay, 1) };
}

export function mayFinaliseOn(notice: PublicNotice, date: string): boolean {
  return compareDates(date, notice.finalFrom) >= 0;
}

export interface Deadline {
  deadline: string;
  /** True when day `days` fell on a rest day and the deadline moved to the next working day. */
  rolled: boolean;
}

function firstWorkingDayFrom(calendar: WorkCalendar, date: string): string {
  let day = date;
  while (!isWorkingDayIn(calendar, day)) day = addDays(day, 1);
  return day;
}

/** The last day of a window of `days` calendar days where day 1 is the day after `fromDate`. */
export function deadline(calendar: WorkCalendar, fromDate: string, days: number, rollsToNextWorkingDay: boolean): Deadline {
  requireCount('days', days);
  const dayN = addDays(fromDate, days);
  const last = rollsToNextWorkingDay ? firstWorkingDayFrom(calendar, dayN) : dayN;
  return { deadline: last, rolled: last !== dayN };
}

export type WindowCheck =
  | { ok: true; day: number; deadline: string }
  | { ok: false; reason: 'TOO_LATE' | 'TOO_EARLY'; deadline: string; day: number };

/** Whether `onDate` falls in the window, and on which day of it (day 0 is `fromDate` itself). */
export function checkWithin(calendar: WorkCalendar, fromDate: string, days: number, rollsToNextWorkingDay: boolean, onDate: string): WindowCheck {
  const last = deadline(calendar, fromDate, days, rollsToNextWorkingDay).deadline;
  const day = compareDates(onDate, fromDate);
  if (day < 1) return { ok: false, reason: 'TOO_EARLY', deadline: last, day };
  if (compareDates(onDate, last) > 0) return { ok: false, reason: 'TOO_LATE', deadline: last, day };
  return { ok: true, day, deadline: last };
}
