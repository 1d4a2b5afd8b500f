import { parsePeriod, type Period } from '../../src/appraisal/domain/vocabulary.js';
import {
  departedBy,
  leaveDaysDuring,
  monthsInPost,
  onProbationDuring,
  personDecider,
  postAt,
  secondedDuring,
  type LeaveKind,
  type PersonEvent,
  type PersonState,
} from '../../src/people/domain/person.decider.js';
import { stateAfter } from '../support/decider-spec.js';

function period(text: string): Period {
  const parsed = parsePeriod(text);
  if (!parsed) throw new Error(`not a period: ${text}`);
  return parsed;
}

/** 2025-04-01 to 2025-06-30: 91 days. */
const Q2 = period('2025Q2');

const registeredOn = (inPostSince: string): PersonEvent => ({
  type: 'PersonRegistered',
  data: {
    personId: 'p-1',
    name: '张三',
    category: 'CIVIL_SERVANT',
    organizationId: 'unit-1',
    position: '科员',
    rank: '一级科员',
    isSectionHead: false,
    inPostSince,
  },
  effectiveAt: inPostSince,
});
const registered = registeredOn('2024-09-01');

const leave = (kind: LeaveKind, from: string, to: string): PersonEvent => ({
  type: 'LeaveRecorded',
  data: { personId: 'p-1', kind, from, to },
  effectiveAt: from,
});
const probation = (startDate: string, endDate: string): PersonEvent => ({
  type: 'ProbationStarted',
  data: { personId: 'p-1', startDate, endDate },
  effectiveAt: startDate,
});
const secondment = (receivingOrganizationId: string, from: string, to?: string): PersonEvent => ({
  type: 'SecondmentStarted',
  data: { personId: 'p-1', receivingOrganizationId, from, ...(to === undefined ? {} : { to }) },
  effectiveAt: from,
});
const secondmentEnded = (receivingOrganizationId: string, date: string): PersonEvent => ({
  type: 'SecondmentEnded',
  data: { personId: 'p-1', receivingOrganizationId, date },
  effectiveAt: date,
});
const departed: PersonEvent = { type: 'PersonDeparted', data: { personId: 'p-1', reason: 'RETIRED', date: '2025-05-31' }, effectiveAt: '2025-05-31' };
const promoted: PersonEvent = {
  type: 'PostChanged',
  data: { personId: 'p-1', organizationId: 'unit-2', position: '科长', rank: '四级主任科员', isSectionHead: true, effectiveDate: '2025-03-01' },
  effectiveAt: '2025-03-01',
};

const after = (...events: PersonEvent[]): PersonState => stateAfter(personDecider, events);
const unregistered = personDecider.initialState();

describe('leaveDaysDuring', () => {
  const during = (state: PersonState, text: string) => leaveDaysDuring(state, period(text).start, period(text).end);

  it('counts 100 days of sick leave across a 91-day quarter as 91 days in it', () => {
    const state = after(registered, leave('SICK_OR_PERSONAL', '2025-03-25', '2025-07-02'));
    expect(during(state, '2025Q1')).toEqual({ SICK_OR_PERSONAL: 7, STATUTORY: 0, WORK_INJURY: 0 });
    expect(during(state, '2025Q2')).toEqual({ SICK_OR_PERSONAL: 91, STATUTORY: 0, WORK_INJURY: 0 });
    expect(during(state, '2025Q3')).toEqual({ SICK_OR_PERSONAL: 2, STATUTORY: 0, WORK_INJURY: 0 });
  });

  it('reports statutory and work-injury leave separately from sick and personal leave', () => {
    const state = after(
      registered,
      leave('SICK_OR_PERSONAL', '2025-04-01', '2025-04-30'),
      leave('STATUTORY', '2025-05-01', '2025-06-20'),
      leave('WORK_INJURY', '2025-06-21', '2025-07-10'),
    );
    expect(during(state, '2025Q2')).toEqual({ SICK_OR_PERSONAL: 30, STATUTORY: 51, WORK_INJURY: 10 });
  });

  it('adds up several leaves of one kind', () => {
    const state = after(registered, leave('SICK_OR_PERSONAL', '2025-04-07', '2025-04-11'), leave('SICK_OR_PERSONAL', '2025-06-02', '2025-06-04'));
    expect(during(state, '2025Q2').SICK_OR_PERSONAL).toBe(8);
  });

  it('counts both the first and the last day of a leave and of the period', () => {
    const state = after(registered, leave('STATUTORY', '2025-06-30', '2025-07-05'));
    expect(during(state, '2025Q2').STATUTORY).toBe(1);
    expect(during(state, '2025Q3').STATUTORY).toBe(5);
  });

  it('counts 29 February', () => {
    expect(during(after(registered, leave('SICK_OR_PERSONAL', '2024-02-28', '2024-03-01')), '2024Q1').SICK_OR_PERSONAL).toBe(3);
  });

  it('still answers for the periods before a departure', () => {
    expect(during(after(registered, leave('SICK_OR_PERSONAL', '2025-04-07', '2025-04-11'), departed), '2025Q2').SICK_OR_PERSONAL).toBe(5);
  });

  it('reports no leave for a person never registered', () => {
    expect(during(unregistered, '2025Q2')).toEqual({ SICK_OR_PERSONAL: 0, STATUTORY: 0, WORK_INJURY: 0 });
  });
});

describe('onProbationDuring', () => {
  const during = (state: PersonState, text: string) => onProbationDuring(state, period(text).start, period(text).end);
  const onProbation = after(registered, probation('2024-09-01', '2025-08-31'));

  it.each([
    ['2024Q2', false],
    ['2024Q3', true],
    ['2025Q2', true],
    ['2025Q3', true],
    ['2025Q4', false],
    ['2025', true],
  ])('a probation from 2024-09-01 to 2025-08-31 overlaps %s: %p', (text, expected) => {
    expect(during(onProbation, text)).toBe(expected);
  });

  it('counts a probation that ends on the last day of a quarter in that quarter only', () => {
    const state = after(registered, probation('2024-07-01', '2025-06-30'));
    expect(during(state, '2025Q2')).toBe(true);
    expect(during(state, '2025Q3')).toBe(false);
  });

  it('counts a single day of probation in the period', () => {
    expect(during(after(registered, probation('2024-07-01', '2025-07-01')), '2025Q3')).toBe(true);
  });

  it('is false without a probation', () => {
    expect(during(after(registered), '2025Q2')).toBe(false);
    expect(during(unregistered, '2025Q2')).toBe(false);
  });
});

describe('secondedDuring', () => {
  const inQ2 = (...events: PersonEvent[]) => secondedDuring(after(registered, ...events), Q2.start, Q2.end);

  it('names the receiving organization after more than half the quarter (46 of 91 days)', () => {
    expect(inQ2(secondment('org-7', '2025-04-01', '2025-05-16'))).toEqual({ receivingOrganizationId: 'org-7', days: 46 });
  });

  it('names none after less than half the quarter (45 of 91 days)', () => {
    expect(inQ2(secondment('org-7', '2025-04-01', '2025-05-15'))).toBeUndefined();
  });

  it('names none after exactly half a 90-day quarter, and names one a day later', () => {
    const q1 = period('2025Q1');
    expect(secondedDuring(after(registered, secondment('org-7', '2025-01-01', '2025-02-14')), q1.start, q1.end)).toBeUndefined();
    expect(secondedDuring(after(registered, secondment('org-7', '2025-01-01', '2025-02-15')), q1.start, q1.end)).toEqual({
      receivingOrganizationId: 'org-7',
      days: 46,
    });
  });

  it('runs an open-ended secondment to the end of the period', () => {
    expect(inQ2(secondment('org-7', '2025-05-01'))).toEqual({ receivingOrganizationId: 'org-7', days: 61 });
  });

  it('stops counting on the day the secondment was ended', () => {
    expect(inQ2(secondment('org-7', '2025-04-01'), secondmentEnded('org-7', '2025-05-10'))).toBeUndefined();
    expect(inQ2(secondment('org-7', '2025-04-01', '2025-12-31'), secondmentEnded('org-7', '2025-05-20'))).toEqual({
      receivingOrganizationId: 'org-7',
      days: 50,
    });
  });

  it('adds up stints at the same organization, not at different ones', () => {
    const first = secondment('org-7', '2025-04-01', '2025-04-30');
    expect(inQ2(first, secondment('org-7', '2025-06-01', '2025-06-20'))).toEqual({ receivingOrganizationId: 'org-7', days: 50 });
    expect(inQ2(first, secondment('org-8', '2025-06-01', '2025-06-20'))).toBeUndefined();
  });

  it('names none for a person never registered', () => {
    expect(secondedDuring(unregistered, Q2.start, Q2.end)).toBeUndefined();
  });
});

describe('departedBy', () => {
  it('reports the departure from its date on', () => {
    const state = after(registered, departed);
    expect(departedBy(state, '2025-05-30')).toBeUndefined();
    expect(departedBy(state, '2025-05-31')).toEqual({ reason: 'RETIRED', date: '2025-05-31' });
    expect(departedBy(state, '2025-12-31')).toEqual({ reason: 'RETIRED', date: '2025-05-31' });
  });

  it('reports none for a person still in service', () => {
    expect(departedBy(after(registered), '2025-12-31')).toBeUndefined();
  });
});

describe('monthsInPost', () => {
  it.each([
    ['2025-01-15', '2025-01-01', 0],
    ['2025-01-15', '2025-01-15', 0],
    ['2025-01-15', '2025-07-14', 5],
    ['2025-01-15', '2025-07-15', 6],
    ['2024-07-01', '2025-06-30', 11],
    ['2024-07-01', '2025-07-01', 12],
    ['2025-01-31', '2025-02-27', 0],
    ['2025-01-31', '2025-02-28', 1],
    ['2024-01-31', '2024-02-28', 0],
    ['2024-01-31', '2024-02-29', 1],
    ['2025-01-31', '2025-03-30', 1],
    ['2025-01-31', '2025-03-31', 2],
  ])('in post since %s, on %s: %i full months', (inPostSince, date, months) => {
    expect(monthsInPost(after(registeredOn(inPostSince)), date)).toBe(months);
  });

  it('keeps counting from the first post across a change of post', () => {
    expect(monthsInPost(after(registered, promoted), '2025-03-01')).toBe(6);
  });

  it('is 0 for a person never registered', () => {
    expect(monthsInPost(unregistered, '2025-03-01')).toBe(0);
  });
});

describe('postAt', () => {
  const firstPost = { organizationId: 'unit-1', position: '科员', rank: '一级科员', isSectionHead: false, since: '2024-09-01' };
  const sectionHead = { organizationId: 'unit-2', position: '科长', rank: '四级主任科员', isSectionHead: true, since: '2025-03-01' };

  it.each([
    ['2024-08-31', undefined],
    ['2024-09-01', firstPost],
    ['2025-02-28', firstPost],
    ['2025-03-01', sectionHead],
    ['2025-05-30', sectionHead],
    ['2025-05-31', undefined],
  ])('on %s the person holds %p', (date, expected) => {
    expect(postAt(after(registered, promoted, departed), date)).toEqual(expected);
  });

  it('holds the latest post for a person still in service', () => {
    expect(postAt(after(registered, promoted), '2030-01-01')).toEqual(sectionHead);
  });
});
