import { checkWithin, DateNotCoveredError, deadline, mayFinaliseOn, publicNotice } from '../../src/calendar/domain/work-calendar.js';
import { officialCalendar } from '../../src/calendar/official-calendar.js';

const calendar = officialCalendar();

describe('the official calendar (chinese-days)', () => {
  it('names the package and version its data comes from', () => {
    expect(calendar.source).toBe('chinese-days@1.5.7');
  });

  it.each([
    ['2025-01-24', 'a Friday', true],
    ['2025-01-25', 'a Saturday', false],
    ['2025-01-26', 'a Sunday worked in exchange for the Spring Festival (调休)', true],
    ['2025-01-28', 'a Tuesday in the Spring Festival', false],
    ['2025-02-08', 'a Saturday worked in exchange for the Spring Festival', true],
    ['2025-05-01', 'Labour Day', false],
  ])('%s, %s, is a working day: %s', (date, _what, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('covers the years in its data and refuses the others, naming the date and the range', () => {
    expect(calendar.coveredRange).toEqual({ from: '2004-01-01', to: '2026-12-31' });
    expect(['2003-12-31', '2004-01-01', '2026-12-31', '2027-01-01'].map((date) => calendar.covers(date))).toEqual([false, true, true, false]);
    expect(() => calendar.isWorkingDay('2027-03-01')).toThrow(DateNotCoveredError);
    expect(() => calendar.isWorkingDay('2027-03-01')).toThrow(
      'the working-day calendar chinese-days@1.5.7 has no data for 2027-03-01: it covers 2004-01-01 to 2026-12-31',
    );
    expect(() => deadline(calendar, '2026-12-20', 15, true)).toThrow(/no data for 2027-01-04/);
  });
});

describe('DOMAIN scenario 6: public notice over the Spring Festival', () => {
  const notice = publicNotice(calendar, '2025-01-24', 5);

  it('runs on 01-24, the make-up Sunday 01-26, 01-27, then 02-05 and 02-06 after the holiday', () => {
    expect(notice).toEqual({
      workingDays: ['2025-01-24', '2025-01-26', '2025-01-27', '2025-02-05', '2025-02-06'],
      lastDay: '2025-02-06',
      finalFrom: '2025-02-07',
    });
  });

  it.each([
    ['2025-02-05', false],
    ['2025-02-06', false],
    ['2025-02-07', true],
  ])('finalising 优秀 on %s is allowed: %s', (date, allowed) => {
    expect(mayFinaliseOn(notice, date)).toBe(allowed);
  });
});

describe('DOMAIN scenario 5: 复核 on day 15 and day 16', () => {
  it('accepts a filing on 2025-04-22, day 15 after publication on Monday 2025-04-07', () => {
    expect(checkWithin(calendar, '2025-04-07', 15, true, '2025-04-22')).toEqual({ ok: true, day: 15, deadline: '2025-04-22' });
  });

  it('rejects a filing on 2025-04-23, naming the deadline 2025-04-22', () => {
    expect(checkWithin(calendar, '2025-04-07', 15, true, '2025-04-23')).toEqual({ ok: false, reason: 'TOO_LATE', deadline: '2025-04-22', day: 16 });
  });

  it('rejects a filing on the day of publication as too early', () => {
    expect(checkWithin(calendar, '2025-04-07', 15, true, '2025-04-07')).toEqual({ ok: false, reason: 'TOO_EARLY', deadline: '2025-04-22', day: 0 });
  });
});

describe('deadlines on rest days of the official calendar', () => {
  it('rolls a deadline on Labour Day past the holiday to 2025-05-06, only when rolling is on', () => {
    expect(deadline(calendar, '2025-04-16', 15, true)).toEqual({ deadline: '2025-05-06', rolled: true });
    expect(deadline(calendar, '2025-04-16', 15, false)).toEqual({ deadline: '2025-05-01', rolled: false });
    expect(checkWithin(calendar, '2025-04-16', 15, true, '2025-05-06')).toEqual({ ok: true, day: 20, deadline: '2025-05-06' });
    expect(checkWithin(calendar, '2025-04-16', 15, false, '2025-05-06')).toEqual({ ok: false, reason: 'TOO_LATE', deadline: '2025-05-01', day: 20 });
  });

  it('rolls a deadline on a Saturday to Monday', () => {
    expect(deadline(calendar, '2025-06-06', 15, true)).toEqual({ deadline: '2025-06-23', rolled: true });
  });

  it('keeps a deadline on a make-up working Sunday', () => {
    expect(deadline(calendar, '2025-04-12', 15, true)).toEqual({ deadline: '2025-04-27', rolled: false });
  });
});
