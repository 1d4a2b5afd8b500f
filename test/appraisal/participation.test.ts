import { assessParticipation, type ParticipantFacts } from '../../src/appraisal/domain/participation.js';
import { parsePeriod } from '../../src/appraisal/domain/vocabulary.js';
import { testRuleSet } from '../support/rule-set.fixture.js';

const ruleSet = testRuleSet();
const quarter = parsePeriod('2025Q2')!; // 91 days
const facts = (overrides: Partial<ParticipantFacts> = {}): ParticipantFacts => ({
  personId: 'p1',
  category: 'CIVIL_SERVANT',
  onProbation: false,
  leaveDays: { SICK_OR_PERSONAL: 0, STATUTORY: 0, WORK_INJURY: 0 },
  monthsInPost: 30,
  ...overrides,
});

describe('participation exceptions from the rule set (DOMAIN §5)', () => {
  it('grades an ordinary participant', () => {
    expect(assessParticipation(ruleSet, quarter, facts())).toEqual({ outcome: 'GRADED', reason: '' });
  });

  it('probation → comment only', () => {
    expect(assessParticipation(ruleSet, quarter, facts({ onProbation: true }))).toMatchObject({ outcome: 'COMMENT_ONLY', reason: '试用期人员只写评语、不定等次' });
    const graded = testRuleSet({ participation: { ...ruleSet.participation, probationOutcome: 'GRADED' } });
    expect(assessParticipation(graded, quarter, facts({ onProbation: true })).outcome).toBe('GRADED');
  });

  it('sick or personal leave over half the period → comment only; statutory leave does not count', () => {
    expect(assessParticipation(ruleSet, quarter, facts({ leaveDays: { SICK_OR_PERSONAL: 46, STATUTORY: 0, WORK_INJURY: 0 } }))).toMatchObject({ outcome: 'COMMENT_ONLY' });
    expect(assessParticipation(ruleSet, quarter, facts({ leaveDays: { SICK_OR_PERSONAL: 45, STATUTORY: 0, WORK_INJURY: 0 } })).outcome).toBe('GRADED');
    expect(assessParticipation(ruleSet, quarter, facts({ leaveDays: { SICK_OR_PERSONAL: 10, STATUTORY: 80, WORK_INJURY: 0 } })).outcome).toBe('GRADED');
  });

  it('work-injury leave over half the period → the scale\'s work-injury grade (较好)', () => {
    expect(assessParticipation(ruleSet, quarter, facts({ leaveDays: { SICK_OR_PERSONAL: 0, STATUTORY: 0, WORK_INJURY: 60 } }))).toMatchObject({
      outcome: 'GRADED',
      fixedGrade: 'FAIRLY_GOOD',
    });
  });

  it('seconded for most of the period → appraised by the receiving organization', () => {
    expect(assessParticipation(ruleSet, quarter, facts({ secondedTo: 'province-office' }))).toMatchObject({ outcome: 'GRADED', appraisedBy: 'province-office' });
  });

  it('left, retired or died → not participating, naming why and when', () => {
    expect(assessParticipation(ruleSet, quarter, facts({ departed: { reason: '退休', date: '2025-05-31' } }))).toEqual({
      outcome: 'NOT_PARTICIPATING',
      reason: '未参加考核：退休（2025-05-31）',
    });
  });

  it('a public-institution employee under six months in post → comment only', () => {
    expect(assessParticipation(ruleSet, parsePeriod('2025')!, facts({ category: 'PUBLIC_INSTITUTION', monthsInPost: 5 }))).toMatchObject({ outcome: 'COMMENT_ONLY' });
    expect(assessParticipation(ruleSet, parsePeriod('2025')!, facts({ category: 'PUBLIC_INSTITUTION', monthsInPost: 6 })).outcome).toBe('GRADED');
    expect(assessParticipation(ruleSet, parsePeriod('2025')!, facts({ category: 'CIVIL_SERVANT', monthsInPost: 5 })).outcome).toBe('GRADED');
  });
});
