import { quotaAllowance } from '../../src/appraisal/domain/quota.js';

describe('quota allowance (DOMAIN.md §9 scenario 4)', () => {
  it.each([
    ['FLOOR', 0],
    ['HALF_UP', 1],
    ['CEIL', 1],
    ['AT_LEAST_ONE', 1],
  ] as const)('a unit of 3 with a 20%% cap, %s → %i', (rounding, allowed) => {
    expect(quotaAllowance({ cap: 0.2, denominator: 'ALL_PARTICIPANTS', rounding }, { participants: 3, withheld: 0, graded: 3 })).toEqual({
      denominator: 3,
      exact: 0.6,
      allowed,
    });
  });

  it.each([
    ['FLOOR', 1],
    ['HALF_UP', 2],
  ] as const)('a unit of 11 with 2 withheld, excluded from the denominator: 9 × 20%% = 1.8, %s → %i', (rounding, allowed) => {
    const allowance = quotaAllowance({ cap: 0.2, denominator: 'EXCLUDING_WITHHELD', rounding }, { participants: 11, withheld: 2, graded: 9 });
    expect(allowance.denominator).toBe(9);
    expect(allowance.allowed).toBe(allowed);
  });

  it('does not lose a whole slot to floating point (5 × 20% is 1, not 0.9999…)', () => {
    expect(quotaAllowance({ cap: 0.2, denominator: 'ALL_PARTICIPANTS', rounding: 'FLOOR' }, { participants: 5, withheld: 0, graded: 5 }).allowed).toBe(1);
    expect(quotaAllowance({ cap: 0.3, denominator: 'ALL_PARTICIPANTS', rounding: 'CEIL' }, { participants: 10, withheld: 0, graded: 10 }).allowed).toBe(3);
  });

  it('counts only the graded when the rule says so, and allows none of nobody even at-least-one', () => {
    expect(quotaAllowance({ cap: 0.4, denominator: 'GRADED_ONLY', rounding: 'HALF_UP' }, { participants: 12, withheld: 1, graded: 9 }).allowed).toBe(4);
    expect(quotaAllowance({ cap: 0.2, denominator: 'GRADED_ONLY', rounding: 'AT_LEAST_ONE' }, { participants: 2, withheld: 0, graded: 0 }).allowed).toBe(0);
  });
});
