import { personDecider, streamIdOfPerson, type PersonCommand, type PersonEvent, type RegisterPerson } from '../../src/people/domain/person.decider.js';
import { commandsOf, deciderSpec, stateAfter } from '../support/decider-spec.js';

const { given } = deciderSpec(personDecider);
const command = commandsOf<PersonCommand>();

const POST = { organizationId: 'unit-1', position: '科员', rank: '一级科员', isSectionHead: false };

const registered: PersonEvent = {
  type: 'PersonRegistered',
  data: { personId: 'p-1', name: '张三', category: 'CIVIL_SERVANT', ...POST, inPostSince: '2024-09-01' },
  effectiveAt: '2024-09-01',
};
const departed: PersonEvent = {
  type: 'PersonDeparted',
  data: { personId: 'p-1', reason: 'RETIRED', date: '2025-05-31' },
  effectiveAt: '2025-05-31',
};
const sickLeave: PersonEvent = {
  type: 'LeaveRecorded',
  data: { personId: 'p-1', kind: 'SICK_OR_PERSONAL', from: '2025-04-07', to: '2025-04-11' },
  effectiveAt: '2025-04-07',
};
const secondedOpenEnded: PersonEvent = {
  type: 'SecondmentStarted',
  data: { personId: 'p-1', receivingOrganizationId: 'org-7', from: '2025-03-01' },
  effectiveAt: '2025-03-01',
};

const registerPerson = (data: Partial<RegisterPerson['data']> = {}) =>
  command('RegisterPerson', { personId: 'p-1', name: '张三', category: 'CIVIL_SERVANT', ...POST, inPostSince: '2024-09-01', ...data });
const changePost = command('ChangePost', { organizationId: 'unit-2', position: '科长', rank: '四级主任科员', isSectionHead: true, effectiveDate: '2025-03-01' });
const startProbation = command('StartProbation', { startDate: '2024-09-01', endDate: '2025-08-31' });
const recordLeave = command('RecordLeave', { kind: 'SICK_OR_PERSONAL', from: '2025-04-07', to: '2025-04-11' });
const startSecondment = command('StartSecondment', { receivingOrganizationId: 'org-7', from: '2025-03-01' });
const endSecondment = command('EndSecondment', { date: '2025-06-30' });
const recordDeparture = command('RecordDeparture', { reason: 'RETIRED', date: '2025-05-31' });

const EVERY_COMMAND: [string, PersonCommand][] = [
  ['RegisterPerson', registerPerson()],
  ['ChangePost', changePost],
  ['StartProbation', startProbation],
  ['RecordLeave', recordLeave],
  ['StartSecondment', startSecondment],
  ['EndSecondment', endSecondment],
  ['RecordDeparture', recordDeparture],
];

it('names the stream after the person', () => {
  expect(streamIdOfPerson('p-1')).toBe('person-p-1');
});

describe('RegisterPerson', () => {
  it('registers the person in a post, effective from the day they took it up', () => {
    given([]).when(registerPerson()).then([registered]);
  });

  it('rejects registering a person twice', () => {
    given([registered]).when(registerPerson()).thenThrows('PERSON.ALREADY_REGISTERED', { message: /p-1 is already registered/ });
  });

  it.each(['name', 'personId', 'organizationId', 'position', 'rank'])('rejects an empty %s', (field) => {
    given([])
      .when(registerPerson({ [field]: ' ' }))
      .thenThrows('PERSON.EMPTY_FIELD', { details: { field } });
  });

  it.each(['2025-02-29', '2025-13-01', '2025-4-1', '2025-04-31', ''])('rejects the in-post date %p', (inPostSince) => {
    given([])
      .when(registerPerson({ inPostSince }))
      .thenThrows('PERSON.INVALID_DATE', { message: `inPostSince must be a calendar date YYYY-MM-DD, got "${inPostSince}"`, details: { field: 'inPostSince' } });
  });

  it('accepts 29 February in a leap year', () => {
    given([])
      .when(registerPerson({ inPostSince: '2024-02-29' }))
      .then([{ ...registered, data: { ...registered.data, inPostSince: '2024-02-29' }, effectiveAt: '2024-02-29' }]);
  });
});

describe.each(EVERY_COMMAND.filter(([type]) => type !== 'RegisterPerson'))('%s before registration', (_type, personCommand) => {
  it('is rejected', () => {
    given([]).when(personCommand).thenThrows('PERSON.NOT_REGISTERED');
  });
});

describe('ChangePost', () => {
  it('records the new post from its effective date', () => {
    given([registered])
      .when(changePost)
      .then([
        {
          type: 'PostChanged',
          data: { personId: 'p-1', organizationId: 'unit-2', position: '科长', rank: '四级主任科员', isSectionHead: true, effectiveDate: '2025-03-01' },
          effectiveAt: '2025-03-01',
        },
      ]);
  });

  it('counts a change of section-head status alone as a new post', () => {
    given([registered])
      .when(command('ChangePost', { ...POST, isSectionHead: true, effectiveDate: '2025-03-01' }))
      .then([{ type: 'PostChanged', data: { personId: 'p-1', ...POST, isSectionHead: true, effectiveDate: '2025-03-01' }, effectiveAt: '2025-03-01' }]);
  });

  it.each(['2024-09-01', '2024-08-31'])('rejects a change effective %s, not after the current post began', (effectiveDate) => {
    given([registered])
      .when(command('ChangePost', { ...changePost.data, effectiveDate }))
      .thenThrows('PERSON.POST_CHANGE_OUT_OF_ORDER', { details: { effectiveDate, currentPostSince: '2024-09-01' } });
  });

  it('measures the order against the latest post, not the first one', () => {
    const changed: PersonEvent = {
      type: 'PostChanged',
      data: { personId: 'p-1', ...changePost.data },
      effectiveAt: '2025-03-01',
    };
    given([registered, changed])
      .when(command('ChangePost', { ...POST, effectiveDate: '2025-02-01' }))
      .thenThrows('PERSON.POST_CHANGE_OUT_OF_ORDER', { details: { currentPostSince: '2025-03-01' } });
  });

  it('rejects a change to the post already held', () => {
    given([registered])
      .when(command('ChangePost', { ...POST, effectiveDate: '2025-03-01' }))
      .thenThrows('PERSON.POST_UNCHANGED', { message: 'person p-1 already holds 科员 (一级科员) in unit-1' });
  });

  it('rejects an invalid effective date', () => {
    given([registered])
      .when(command('ChangePost', { ...changePost.data, effectiveDate: '2025-03-32' }))
      .thenThrows('PERSON.INVALID_DATE', { details: { field: 'effectiveDate', value: '2025-03-32' } });
  });

  it('rejects an empty position', () => {
    given([registered])
      .when(command('ChangePost', { ...changePost.data, position: '' }))
      .thenThrows('PERSON.EMPTY_FIELD', { details: { field: 'position' } });
  });
});

describe('StartProbation', () => {
  it('records the probation from its start date', () => {
    given([registered])
      .when(startProbation)
      .then([{ type: 'ProbationStarted', data: { personId: 'p-1', startDate: '2024-09-01', endDate: '2025-08-31' }, effectiveAt: '2024-09-01' }]);
  });

  it('rejects a probation that ends before it starts', () => {
    given([registered])
      .when(command('StartProbation', { startDate: '2025-08-31', endDate: '2024-09-01' }))
      .thenThrows('PERSON.INVALID_PROBATION_RANGE', { message: 'probation from 2025-08-31 to 2024-09-01 ends before it starts' });
  });

  it('rejects a second probation', () => {
    const started: PersonEvent = {
      type: 'ProbationStarted',
      data: { personId: 'p-1', startDate: '2024-09-01', endDate: '2025-08-31' },
      effectiveAt: '2024-09-01',
    };
    given([registered, started])
      .when(command('StartProbation', { startDate: '2025-09-01', endDate: '2026-08-31' }))
      .thenThrows('PERSON.PROBATION_ALREADY_RECORDED', {
        message: /from 2024-09-01 to 2025-08-31/,
        details: { existing: { from: '2024-09-01', to: '2025-08-31' } },
      });
  });

  it('rejects an invalid end date', () => {
    given([registered])
      .when(command('StartProbation', { startDate: '2024-09-01', endDate: '2025/08/31' }))
      .thenThrows('PERSON.INVALID_DATE', { details: { field: 'endDate' } });
  });
});

describe('RecordLeave', () => {
  it('records the leave from its first day', () => {
    given([registered]).when(recordLeave).then([sickLeave]);
  });

  it('accepts a one-day leave', () => {
    given([registered])
      .when(command('RecordLeave', { kind: 'STATUTORY', from: '2025-05-06', to: '2025-05-06' }))
      .then([{ type: 'LeaveRecorded', data: { personId: 'p-1', kind: 'STATUTORY', from: '2025-05-06', to: '2025-05-06' }, effectiveAt: '2025-05-06' }]);
  });

  it('rejects a leave that ends before it starts', () => {
    given([registered])
      .when(command('RecordLeave', { kind: 'SICK_OR_PERSONAL', from: '2025-04-11', to: '2025-04-10' }))
      .thenThrows('PERSON.INVALID_LEAVE_RANGE', {
        message: 'leave from 2025-04-11 to 2025-04-10 ends before it starts',
        details: { from: '2025-04-11', to: '2025-04-10' },
      });
  });

  it.each([
    ['overlapping its start', '2025-04-01', '2025-04-07'],
    ['overlapping its end', '2025-04-11', '2025-04-20'],
    ['inside it', '2025-04-08', '2025-04-09'],
    ['around it', '2025-04-01', '2025-04-30'],
  ])('rejects a leave %s, whatever its kind', (_case, from, to) => {
    given([registered, sickLeave])
      .when(command('RecordLeave', { kind: 'STATUTORY', from, to }))
      .thenThrows('PERSON.LEAVE_OVERLAPS', {
        message: `leave from ${from} to ${to} overlaps the SICK_OR_PERSONAL leave already recorded from 2025-04-07 to 2025-04-11`,
        details: { existing: { kind: 'SICK_OR_PERSONAL', from: '2025-04-07', to: '2025-04-11' } },
      });
  });

  it('accepts a leave starting the day after another ends', () => {
    given([registered, sickLeave])
      .when(command('RecordLeave', { kind: 'WORK_INJURY', from: '2025-04-12', to: '2025-04-20' }))
      .then([{ type: 'LeaveRecorded', data: { personId: 'p-1', kind: 'WORK_INJURY', from: '2025-04-12', to: '2025-04-20' }, effectiveAt: '2025-04-12' }]);
  });

  it('rejects an invalid date', () => {
    given([registered])
      .when(command('RecordLeave', { kind: 'SICK_OR_PERSONAL', from: '2025-02-30', to: '2025-03-02' }))
      .thenThrows('PERSON.INVALID_DATE', { details: { field: 'from', value: '2025-02-30' } });
  });
});

describe('StartSecondment', () => {
  it('records an open-ended secondment', () => {
    given([registered]).when(startSecondment).then([secondedOpenEnded]);
  });

  it('records a secondment with a planned end', () => {
    given([registered])
      .when(command('StartSecondment', { receivingOrganizationId: 'org-7', from: '2025-03-01', to: '2025-08-31' }))
      .then([
        {
          type: 'SecondmentStarted',
          data: { personId: 'p-1', receivingOrganizationId: 'org-7', from: '2025-03-01', to: '2025-08-31' },
          effectiveAt: '2025-03-01',
        },
      ]);
  });

  it('rejects a secondment that ends before it starts', () => {
    given([registered])
      .when(command('StartSecondment', { receivingOrganizationId: 'org-7', from: '2025-03-01', to: '2025-02-28' }))
      .thenThrows('PERSON.INVALID_SECONDMENT_RANGE');
  });

  it('rejects a secondment while an open-ended one runs', () => {
    given([registered, secondedOpenEnded])
      .when(command('StartSecondment', { receivingOrganizationId: 'org-8', from: '2026-01-01' }))
      .thenThrows('PERSON.SECONDMENT_OVERLAPS', {
        message: 'secondment from 2026-01-01 overlaps the secondment to org-7 from 2025-03-01, still open',
        details: { existing: { receivingOrganizationId: 'org-7', from: '2025-03-01', ended: false } },
      });
  });

  it('rejects an open-ended secondment that would start before a planned one ends', () => {
    const planned: PersonEvent = {
      type: 'SecondmentStarted',
      data: { personId: 'p-1', receivingOrganizationId: 'org-7', from: '2025-07-01', to: '2025-12-31' },
      effectiveAt: '2025-07-01',
    };
    given([registered, planned])
      .when(command('StartSecondment', { receivingOrganizationId: 'org-8', from: '2025-03-01' }))
      .thenThrows('PERSON.SECONDMENT_OVERLAPS', { message: /to org-7 from 2025-07-01 to 2025-12-31/ });
  });

  it('accepts a secondment after an earlier one was ended', () => {
    const ended: PersonEvent = {
      type: 'SecondmentEnded',
      data: { personId: 'p-1', receivingOrganizationId: 'org-7', date: '2025-06-30' },
      effectiveAt: '2025-06-30',
    };
    given([registered, secondedOpenEnded, ended])
      .when(command('StartSecondment', { receivingOrganizationId: 'org-8', from: '2025-07-01' }))
      .then([{ type: 'SecondmentStarted', data: { personId: 'p-1', receivingOrganizationId: 'org-8', from: '2025-07-01' }, effectiveAt: '2025-07-01' }]);
  });

  it('rejects an empty receiving organization', () => {
    given([registered])
      .when(command('StartSecondment', { receivingOrganizationId: '', from: '2025-03-01' }))
      .thenThrows('PERSON.EMPTY_FIELD', { details: { field: 'receivingOrganizationId' } });
  });

  it('rejects an invalid planned end', () => {
    given([registered])
      .when(command('StartSecondment', { receivingOrganizationId: 'org-7', from: '2025-03-01', to: 'soon' }))
      .thenThrows('PERSON.INVALID_DATE', { details: { field: 'to' } });
  });
});

describe('EndSecondment', () => {
  const ended: PersonEvent = {
    type: 'SecondmentEnded',
    data: { personId: 'p-1', receivingOrganizationId: 'org-7', date: '2025-06-30' },
    effectiveAt: '2025-06-30',
  };

  it('ends the secondment in progress on its last day', () => {
    given([registered, secondedOpenEnded]).when(endSecondment).then([ended]);
  });

  it('ends a planned secondment early', () => {
    const planned: PersonEvent = {
      type: 'SecondmentStarted',
      data: { personId: 'p-1', receivingOrganizationId: 'org-7', from: '2025-03-01', to: '2025-12-31' },
      effectiveAt: '2025-03-01',
    };
    given([registered, planned]).when(endSecondment).then([ended]);
  });

  it('rejects ending when the person was never seconded', () => {
    given([registered]).when(endSecondment).thenThrows('PERSON.NOT_SECONDED', { message: 'person p-1 has no secondment in progress to end' });
  });

  it('rejects ending a secondment twice', () => {
    given([registered, secondedOpenEnded, ended]).when(command('EndSecondment', { date: '2025-07-31' })).thenThrows('PERSON.NOT_SECONDED');
  });

  it('rejects an end before the secondment started', () => {
    given([registered, secondedOpenEnded])
      .when(command('EndSecondment', { date: '2025-02-28' }))
      .thenThrows('PERSON.INVALID_SECONDMENT_RANGE', { message: 'secondment from 2025-03-01 to 2025-02-28 ends before it starts' });
  });

  it('rejects an invalid date', () => {
    given([registered, secondedOpenEnded]).when(command('EndSecondment', { date: '30/06/2025' })).thenThrows('PERSON.INVALID_DATE');
  });
});

describe('RecordDeparture', () => {
  it.each(['LEFT', 'RETIRED', 'DIED', 'DISMISSED'] as const)('records a departure (%s) on its date', (reason) => {
    given([registered])
      .when(command('RecordDeparture', { reason, date: '2025-05-31' }))
      .then([{ type: 'PersonDeparted', data: { personId: 'p-1', reason, date: '2025-05-31' }, effectiveAt: '2025-05-31' }]);
  });

  it('rejects an invalid date', () => {
    given([registered]).when(command('RecordDeparture', { reason: 'LEFT', date: '2025-06-31' })).thenThrows('PERSON.INVALID_DATE');
  });
});

describe.each(EVERY_COMMAND)('%s after the departure', (_type, personCommand) => {
  it('is rejected, naming the departure', () => {
    given([registered, departed])
      .when(personCommand)
      .thenThrows('PERSON.DEPARTED', {
        message: 'person p-1 departed (RETIRED) on 2025-05-31; the record is closed',
        details: { personId: 'p-1', reason: 'RETIRED', date: '2025-05-31' },
      });
  });
});

it('never throws in evolve: events before registration and unknown events leave the state as it was', () => {
  const unknown = { type: 'PersonRenamed', data: { personId: 'p-1' } } as unknown as PersonEvent;
  expect(stateAfter(personDecider, [sickLeave, departed, unknown])).toEqual({ status: 'UNREGISTERED' });
  expect(stateAfter(personDecider, [registered, unknown])).toEqual(stateAfter(personDecider, [registered]));
});
