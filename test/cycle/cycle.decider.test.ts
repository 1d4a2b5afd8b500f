import fc from 'fast-check';
import { deriveGrade, type DerivationInput } from '../../src/appraisal/domain/derive-grade.js';
import { parsePeriod } from '../../src/appraisal/domain/vocabulary.js';
import { cycleDecider, quotaPosition, type CycleCommand, type CycleEvent, type CycleState, type Participant } from '../../src/cycle/domain/cycle.decider.js';
import { ApplicationError } from '../../src/shared/errors.js';
import { commandsOf, deciderSpec } from '../support/decider-spec.js';
import { testRuleSet } from '../support/rule-set.fixture.js';

const spec = deciderSpec(cycleDecider);
const command = commandsOf<CycleCommand>();
const ruleSet = testRuleSet();
const context = { ruleSet };

function participant(index: number, unitId = 'unit-a', outcome: Participant['participation']['outcome'] = 'GRADED'): Participant {
  return {
    personId: `p${index}`,
    recordId: `org1.p${index}.2025`,
    unitId,
    category: 'CIVIL_SERVANT',
    subjectRole: 'STAFF',
    participation: { outcome, reason: outcome === 'GRADED' ? '' : '试用期' },
  };
}

function openedWith(participants: Participant[], period = '2025'): CycleEvent {
  return {
    type: 'CycleOpened',
    data: { cycleId: `org1.${period}`, organizationId: 'org1', period, periodKind: parsePeriod(period)!.kind, ruleSetId: 'test-rules', ruleSetVersion: 3, participants },
  };
}

describe('cycle', () => {
  it('opens with its participants and the rule set in force', () => {
    const participants = [participant(1), participant(2)];
    spec
      .given([])
      .when(command('OpenCycle', { cycleId: 'org1.2025', organizationId: 'org1', period: '2025', participants }), context)
      .then([{ ...openedWith(participants), ruleSetId: 'test-rules' }]);
  });

  it('rejects a second opening, a bad period, no participants and a person listed twice', () => {
    const data = { cycleId: 'org1.2025', organizationId: 'org1', period: '2025', participants: [participant(1)] };
    spec.given([openedWith([participant(1)])]).when(command('OpenCycle', data), context).thenThrows('CYCLE.ALREADY_OPEN');
    spec.given([]).when(command('OpenCycle', { ...data, period: '2025Q5' }), context).thenThrows('VALIDATION_FAILED');
    spec.given([]).when(command('OpenCycle', { ...data, participants: [] }), context).thenThrows('CYCLE.NO_PARTICIPANTS');
    spec.given([]).when(command('OpenCycle', { ...data, participants: [participant(1), participant(1)] }), context).thenThrows('CYCLE.DUPLICATE_PARTICIPANT');
  });

  it('reserves top grades per unit up to the floor of 20% of those not withheld, then refuses with the numbers', () => {
    const unit = Array.from({ length: 10 }, (_, index) => participant(index));
    const history: CycleEvent[] = [openedWith(unit), { type: 'TopGradeReserved', data: { recordId: unit[0].recordId, unitId: 'unit-a', denominator: 10, allowed: 2, usedAfter: 1 } }];
    spec
      .given(history)
      .when(command('ReserveTopGrade', { recordId: unit[1].recordId }), context)
      .then([{ type: 'TopGradeReserved', data: { recordId: unit[1].recordId, unitId: 'unit-a', denominator: 10, allowed: 2, usedAfter: 2 } }]);
    const full: CycleEvent[] = [...history, { type: 'TopGradeReserved', data: { recordId: unit[1].recordId, unitId: 'unit-a', denominator: 10, allowed: 2, usedAfter: 2 } }];
    spec
      .given(full)
      .when(command('ReserveTopGrade', { recordId: unit[2].recordId }), context)
      .thenThrows('APPRAISAL.QUOTA_EXCEEDED', { message: /cap 0.2 of 10 allows 2 \(FLOOR\), 2 used, 0 available/, details: { cap: 0.2, denominator: 10, allowed: 2, used: 2, available: 0, scope: 'unit-a' } });
    spec.given(full).when(command('ReserveTopGrade', { recordId: unit[1].recordId }), context).then([]);
  });

  it('a release frees the slot; releasing twice does nothing', () => {
    const unit = Array.from({ length: 5 }, (_, index) => participant(index));
    const reserved: CycleEvent[] = [openedWith(unit), { type: 'TopGradeReserved', data: { recordId: unit[0].recordId, unitId: 'unit-a', denominator: 5, allowed: 1, usedAfter: 1 } }];
    const released: CycleEvent = { type: 'TopGradeReleased', data: { recordId: unit[0].recordId, reason: '复核改定' } };
    spec.given(reserved).when(command('ReleaseTopGrade', released.data), context).then([released]);
    spec.given([...reserved, released]).when(command('ReleaseTopGrade', released.data), context).then([]);
    spec.given([...reserved, released]).when(command('ReserveTopGrade', { recordId: unit[3].recordId }), context).then([
      { type: 'TopGradeReserved', data: { recordId: unit[3].recordId, unitId: 'unit-a', denominator: 5, allowed: 1, usedAfter: 1 } },
    ]);
  });

  it('refuses a record that is not in the cycle, and any reservation once closed', () => {
    const opened = openedWith([participant(1)]);
    spec.given([opened]).when(command('ReserveTopGrade', { recordId: 'elsewhere' }), context).thenThrows('CYCLE.NOT_A_PARTICIPANT');
    spec.given([opened, { type: 'CycleClosed', data: { closedOn: '2026-01-20' } }]).when(command('ReserveTopGrade', { recordId: participant(1).recordId }), context).thenThrows('CYCLE.NOT_OPEN');
    spec.given([]).when(command('CloseCycle', { closedOn: '2026-01-20' }), context).thenThrows('CYCLE.NOT_OPEN');
  });
});

describe('properties', () => {
  const participants = [
    ...Array.from({ length: 7 }, (_, index) => participant(index, 'unit-a')),
    ...Array.from({ length: 4 }, (_, index) => participant(index + 7, 'unit-b')),
    participant(11, 'unit-b', 'COMMENT_ONLY'),
  ];
  const recordIds = participants.map((candidate) => candidate.recordId).concat(['not-in-cycle']);
  const commandArbitrary: fc.Arbitrary<CycleCommand> = fc.oneof(
    fc.constantFrom(...recordIds).map((recordId) => command('ReserveTopGrade', { recordId })),
    fc.constantFrom(...recordIds).map((recordId) => command('ReleaseTopGrade', { recordId, reason: 'r' })),
    fc.constant(command('CloseCycle', { closedOn: '2026-01-20' })),
  );

  it('no sequence of valid and invalid commands takes more top grades in a unit than its quota allows', () => {
    fc.assert(
      fc.property(fc.array(commandArbitrary, { maxLength: 60 }), (commands) => {
        let state: CycleState = cycleDecider.evolve(cycleDecider.initialState(), openedWith(participants));
        for (const next of commands) {
          try {
            for (const event of cycleDecider.decide(next, state, context)) state = cycleDecider.evolve(state, event);
          } catch (error) {
            if (!(error instanceof ApplicationError)) throw error;
          }
          for (const unit of ['unit-a', 'unit-b']) {
            const held = Object.values(state.reservations).filter((unitId) => unitId === unit).length;
            const member = participants.find((candidate) => candidate.unitId === unit)!;
            expect(held).toBeLessThanOrEqual(quotaPosition(state, ruleSet, member.recordId)!.allowance.allowed);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('derivation is deterministic: the same inputs give the same outcome and the same trace', () => {
    const scoreArbitrary = fc.record({ performance: fc.integer({ min: 0, max: 60 }), integrity: fc.integer({ min: 0, max: 40 }) });
    const gradeArbitrary = fc.option(fc.constantFrom('EXCELLENT', 'COMPETENT', 'BASICALLY_COMPETENT', 'INCOMPETENT', 'GOOD'), { nil: undefined });
    fc.assert(
      fc.property(scoreArbitrary, gradeArbitrary, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), (score, grade, allowed, used) => {
        const input = (): DerivationInput => ({
          ruleSet: testRuleSet(),
          period: parsePeriod('2025')!,
          subject: { category: 'CIVIL_SERVANT', subjectRole: 'STAFF' },
          participation: { outcome: 'GRADED', reason: '' },
          scores: [
            { indicatorId: 'performance', raterRole: 'SUPERIOR', raterId: 'a', points: score.performance },
            { indicatorId: 'integrity', raterRole: 'SUPERIOR', raterId: 'a', points: score.integrity },
          ],
          adjustments: [],
          measures: [],
          efficiencyWarnings: [],
          directTriggers: [],
          requested: grade ? { grade } : undefined,
          quota: { allowance: { denominator: 10, exact: allowed, allowed }, used },
        });
        expect(deriveGrade(input())).toEqual(deriveGrade(input()));
      }),
      { numRuns: 300 },
    );
  });
});

describe('cycle: records withheld during an investigation', () => {
  it('leave the denominator when the rule excludes them, and return when backfilled', () => {
    const unit = Array.from({ length: 11 }, (_, index) => participant(index));
    const withheld: CycleEvent[] = [
      openedWith(unit),
      { type: 'RecordWithheldFromQuota', data: { recordId: unit[9].recordId, caseId: 'c1' } },
      { type: 'RecordWithheldFromQuota', data: { recordId: unit[10].recordId, caseId: 'c2' } },
    ];
    spec.given(withheld.slice(0, 2)).when(command('NoteWithheld', { recordId: unit[9].recordId, caseId: 'c1' }), context).then([]);
    const state = withheld.reduce(cycleDecider.evolve, cycleDecider.initialState());
    // Annual rule of the fixture: 20% of those not withheld, floor: 9 × 0.2 = 1.8 → 1.
    expect(quotaPosition(state, ruleSet, unit[0].recordId)!.allowance).toEqual({ denominator: 9, exact: 1.8, allowed: 1 });
    spec.given(withheld).when(command('NoteReturnedToQuota', { recordId: unit[9].recordId, caseId: 'c1' }), context).then([
      { type: 'RecordReturnedToQuota', data: { recordId: unit[9].recordId, caseId: 'c1' } },
    ]);
    const returned = cycleDecider.evolve(state, { type: 'RecordReturnedToQuota', data: { recordId: unit[9].recordId, caseId: 'c1' } });
    expect(quotaPosition(returned, ruleSet, unit[0].recordId)!.allowance.denominator).toBe(10);
    spec.given([openedWith(unit)]).when(command('NoteReturnedToQuota', { recordId: unit[9].recordId, caseId: 'c1' }), context).then([]);
  });
});
