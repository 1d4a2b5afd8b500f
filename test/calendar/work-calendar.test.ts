import {
  addDays,
  checkWithin,
  compareDates,
  DateNotCoveredError,
  deadline,
  holidayTableCalendar,
  InvalidDateError,
  mayFinaliseOn,
  publicNotice,
  type WorkCalendar,
} from '../../src/calendar/domain/work-calendar.js';
import { isCalendarDate } from '../../src/shared/calendar-date.js';

/**
 * January 2030 (the 1st is a Tuesday): 01-01 is a holiday, Saturday 01-05 a make-up workday, and
 * Thursday 01-17 and Friday 01-18 holidays joined to the weekend, so 01-17 to 01-20 are all rest days.
 */
const january2030 = holidayTableCalendar({
  source: 'hand-made',
  coveredRange: { from: '2030-01-01', to: '2030-01-31' },
  holidays: ['2030-01-01', '2030-01-17', '2030-01-18'],
  makeUpWorkdays: ['2030-01-05'],
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('date helpers', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-04-07', 15, '2025-04-22'],
    ['2025-04-07', 0, '2025-04-07'],
  ])('addDays(%s, %i) is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('adds only whole days', () => {
    expect(() => addDays('2025-01-01', 1.5)).toThrow(RangeError);
  });

  it('compares dates by day and sorts them', () => {
    expect(compareDates('2025-01-09', '2025-01-10')).toBeLessThan(0);
    expect(compareDates('2025-01-10', '2025-01-10')).toBe(0);
    expect(compareDates('2025-02-01', '2025-01-31')).toBeGreaterThan(0);
    expect(['2025-02-01', '2024-12-31', '2025-01-10'].sort(compareDates)).toEqual(['2024-12-31', '2025-01-10', '2025-02-01']);
  });

  it.each(['2024-02-29', '2025-12-31'])('accepts the date %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each(['2025-02-29', '2025-02-30', '2025-13-01', '2025-1-5', '20250101', '2025-01-01T00:00:00Z', ''])('rejects "%s" as a date', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('throws INVALID_DATE naming the value instead of computing with a date that does not exist', () => {
    const error = thrownBy(() => addDays('2025-02-30', 1));
    expect(error).toBeInstanceOf(InvalidDateError);
    expect(error).toMatchObject({ code: 'INVALID_DATE', details: { value: '2025-02-30' } });
    expect(() => compareDates('2025-01-01', 'tomorrow')).toThrow(/"tomorrow"/);
  });
});

describe('a calendar from a holiday table', () => {
  it.each([
    ['2030-01-02', 'a Wednesday', true],
    ['2030-01-01', 'a holiday on a Tuesday', false],
    ['2030-01-05', 'a make-up workday on a Saturday', true],
    ['2030-01-06', 'a Sunday', false],
    ['2030-01-12', 'a Saturday', false],
    ['2030-01-18', 'a holiday on a Friday', false],
  ])('%s, %s, is a working day: %s', (date, _what, working) => {
    expect(january2030.isWorkingDay(date)).toBe(working);
  });

  it('covers its range, both ends included, and nothing else', () => {
    expect(['2029-12-31', '2030-01-01', '2030-01-31', '2030-02-01'].map((date) => january2030.covers(date))).toEqual([false, true, true, false]);
  });

  it('refuses to answer for a day it has no data on, naming the day and the covered range', () => {
    const error = thrownBy(() => january2030.isWorkingDay('2030-02-01'));
    expect(error).toBeInstanceOf(DateNotCoveredError);
    expect(error).toMatchObject({
      code: 'DATE_NOT_COVERED',
      message: 'the working-day calendar hand-made has no data for 2030-02-01: it covers 2030-01-01 to 2030-01-31',
      details: { date: '2030-02-01', source: 'hand-made', coveredFrom: '2030-01-01', coveredTo: '2030-01-31' },
    });
  });
});

describe('public notice (公示) over working days', () => {
  it('does not count a start day that is a rest day', () => {
    expect(publicNotice(january2030, '2030-01-01', 3)).toEqual({
      workingDays: ['2030-01-02', '2030-01-03', '2030-01-04'],
      lastDay: '2030-01-04',
      finalFrom: '2030-01-05',
    });
  });

  it('skips holidays and weekends', () => {
    expect(publicNotice(january2030, '2030-01-16', 2).workingDays).toEqual(['2030-01-16', '2030-01-21']);
  });

  it('allows finalising from the day after the last notice day, even when that is a rest day', () => {
    const notice = publicNotice(january2030, '2030-01-09', 3);
    expect(notice).toEqual({ workingDays: ['2030-01-09', '2030-01-10', '2030-01-11'], lastDay: '2030-01-11', finalFrom: '2030-01-12' });
    expect(mayFinaliseOn(notice, '2030-01-11')).toBe(false);
    expect(mayFinaliseOn(notice, '2030-01-12')).toBe(true);
    expect(mayFinaliseOn(notice, '2030-01-14')).toBe(true);
  });

  it('fails naming the first day past the calendar when the notice would run beyond it', () => {
    expect(() => publicNotice(january2030, '2030-01-28', 5)).toThrow(new DateNotCoveredError(january2030, '2030-02-01'));
  });

  it.each([0, -1, 2.5])('needs a whole number of working days, not %d', (workingDays) => {
    expect(() => publicNotice(january2030, '2030-01-02', workingDays)).toThrow(RangeError);
  });
});

describe('deadlines in calendar days', () => {
  it('counts day 1 as the day after the start', () => {
    expect(deadline(january2030, '2030-01-01', 1, true)).toEqual({ deadline: '2030-01-02', rolled: false });
  });

  it('rolls a deadline on a weekend to the next working day, and leaves it when rolling is off', () => {
    expect(deadline(january2030, '2030-01-02', 10, true)).toEqual({ deadline: '2030-01-14', rolled: true });
    expect(deadline(january2030, '2030-01-02', 10, false)).toEqual({ deadline: '2030-01-12', rolled: false });
  });

  it('rolls over a holiday joined to a weekend', () => {
    expect(deadline(january2030, '2030-01-07', 10, true)).toEqual({ deadline: '2030-01-21', rolled: true });
  });

  it('does not roll a deadline on a make-up workday', () => {
    expect(deadline(january2030, '2030-01-01', 4, true)).toEqual({ deadline: '2030-01-05', rolled: false });
  });

  it.each([0, -3, 1.5])('needs a whole number of days, not %d', (days) => {
    expect(() => deadline(january2030, '2030-01-02', days, true)).toThrow(RangeError);
  });
});

describe('checking a date against a window', () => {
  // From 2030-01-02 for 10 days: day 10 is Saturday 01-12, rolled to Monday 01-14.
  const check = (onDate: string, rolls = true) => checkWithin(january2030, '2030-01-02', 10, rolls, onDate);

  it('is too early on the start day and before it', () => {
    expect(check('2030-01-02')).toEqual({ ok: false, reason: 'TOO_EARLY', deadline: '2030-01-14', day: 0 });
    expect(check('2030-01-01')).toEqual({ ok: false, reason: 'TOO_EARLY', deadline: '2030-01-14', day: -1 });
  });

  it('accepts day 1 up to the rolled deadline', () => {
    expect(check('2030-01-03')).toEqual({ ok: true, day: 1, deadline: '2030-01-14' });
    expect(check('2030-01-14')).toEqual({ ok: true, day: 12, deadline: '2030-01-14' });
  });

  it('is too late after the deadline, naming it', () => {
    expect(check('2030-01-15')).toEqual({ ok: false, reason: 'TOO_LATE', deadline: '2030-01-14', day: 13 });
    expect(check('2030-01-13', false)).toEqual({ ok: false, reason: 'TOO_LATE', deadline: '2030-01-12', day: 11 });
  });
});

describe('a calendar that would answer for days it does not cover', () => {
  const careless: WorkCalendar = {
    source: 'careless',
    coveredRange: { from: '2030-01-01', to: '2030-01-10' },
    covers: (date) => date >= '2030-01-01' && date <= '2030-01-10',
    isWorkingDay: () => true,
  };

  it('is never asked beyond its range: the window functions fail instead', () => {
    expect(() => deadline(careless, '2030-01-05', 10, true)).toThrow(new DateNotCoveredError(careless, '2030-01-15'));
    expect(() => publicNotice(careless, '2030-01-08', 5)).toThrow(new DateNotCoveredError(careless, '2030-01-11'));
  });

  it('is not consulted for a deadline that does not roll', () => {
    expect(deadline(careless, '2030-01-05', 10, false)).toEqual({ deadline: '2030-01-15', rolled: false });
  });
});
