import { createRequire } from 'node:module';
import { holidayTableCalendar, type DateRange, type WorkCalendar } from './domain/work-calendar.js';

/** The part of `chinese-days/dist/chinese-days.json` used here: descriptions keyed by date. */
interface ChineseDaysData {
  holidays: Record<string, string>;
  /** 调休 make-up working days. */
  workdays: Record<string, string>;
}

const requireFromHere = createRequire(import.meta.url);

/**
 * Every year the State Council arranges has holidays listed, so the years in the data are the years
 * covered; a year missing between two others means incomplete data, not a year without holidays.
 */
function coveredYears(dates: string[]): DateRange {
  const years = [...new Set(dates.map((date) => Number(date.slice(0, 4))))].sort((a, b) => a - b);
  const first = years[0];
  const last = years[years.length - 1];
  if (years.length !== last - first + 1) throw new Error(`chinese-days data skips a year between ${first} and ${last}: has ${years.join(', ')}`);
  return { from: `${first}-01-01`, to: `${last}-12-31` };
}

/** The Chinese official calendar (法定节假日 and 调休) as published by the State Council, from the `chinese-days` package. */
export function officialCalendar(): WorkCalendar {
  const data = requireFromHere('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const { version } = requireFromHere('chinese-days/package.json') as { version: string };
  const holidays = Object.keys(data.holidays);
  const makeUpWorkdays = Object.keys(data.workdays);
  return holidayTableCalendar({
    source: `chinese-days@${version}`,
    coveredRange: coveredYears([...holidays, ...makeUpWorkdays]),
    holidays,
    makeUpWorkdays,
  });
}
