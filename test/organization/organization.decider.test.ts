import {
  organizationDecider,
  organizationKindOf,
  ruleSetAdoptedFor,
  streamIdOfOrganization,
  type OrganizationCommand,
  type OrganizationContext,
  type OrganizationEvent,
} from '../../src/organization/domain/organization.decider.js';
import { commandsOf, deciderSpec, stateAfter } from '../support/decider-spec.js';

const { given } = deciderSpec(organizationDecider);
const command = commandsOf<OrganizationCommand>();

const NO_CONTEXT: OrganizationContext = {};
const RULE_SET_IN_FORCE: OrganizationContext = { ruleSet: { ruleSetExists: true, effectiveFrom: '2024-01-01' } };

const organRegistered: OrganizationEvent = {
  type: 'OrganizationRegistered',
  data: { organizationId: 'org-1', name: '市发展和改革委员会', kind: 'ORGAN' },
};
const unitRegistered: OrganizationEvent = {
  type: 'OrganizationRegistered',
  data: { organizationId: 'unit-1', name: '办公室', kind: 'UNIT', parentId: 'org-1' },
};
const adopted2025: OrganizationEvent = {
  type: 'RuleSetAdopted',
  data: { organizationId: 'org-1', year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1 },
};
const replaced2025: OrganizationEvent = {
  type: 'RuleSetAdoptionReplaced',
  data: {
    organizationId: 'org-1',
    year: 2025,
    ruleSetId: 'national-current',
    ruleSetVersion: 2,
    replaced: { ruleSetId: 'national-current', ruleSetVersion: 1 },
    reason: '上级通知修订了优秀比例',
  },
};

const adopt = (data: Partial<{ year: number; ruleSetId: string; ruleSetVersion: number; reason: string }> = {}) =>
  command('AdoptRuleSet', { year: 2025, ruleSetId: 'national-current', ruleSetVersion: 1, ...data });

describe('RegisterOrganization', () => {
  it('registers an organ at the top of a tree', () => {
    given([])
      .when(command('RegisterOrganization', { organizationId: 'org-1', name: '市发展和改革委员会', kind: 'ORGAN' }), NO_CONTEXT)
      .then([organRegistered]);
  });

  it('registers an organ under a parent organ', () => {
    given([])
      .when(command('RegisterOrganization', { organizationId: 'org-2', name: '市粮食和物资储备局', kind: 'ORGAN', parentId: 'org-1' }), {
        parentKind: 'ORGAN',
      })
      .then([{ type: 'OrganizationRegistered', data: { organizationId: 'org-2', name: '市粮食和物资储备局', kind: 'ORGAN', parentId: 'org-1' } }]);
  });

  it.each(['ORGAN', 'UNIT'] as const)('registers a unit under a parent %s, to any depth', (parentKind) => {
    given([])
      .when(command('RegisterOrganization', { organizationId: 'unit-1', name: '办公室', kind: 'UNIT', parentId: 'org-1' }), { parentKind })
      .then([unitRegistered]);
  });

  it('rejects a unit without a parent', () => {
    given([])
      .when(command('RegisterOrganization', { organizationId: 'unit-1', name: '办公室', kind: 'UNIT' }), NO_CONTEXT)
      .thenThrows('ORGANIZATION.PARENT_REQUIRED', { message: /unit unit-1 needs a parent/, details: { organizationId: 'unit-1' } });
  });

  it('rejects a parent the caller did not find', () => {
    given([])
      .when(command('RegisterOrganization', { organizationId: 'unit-1', name: '办公室', kind: 'UNIT', parentId: 'org-9' }), NO_CONTEXT)
      .thenThrows('ORGANIZATION.PARENT_NOT_FOUND', { message: /org-9/, details: { organizationId: 'unit-1', parentId: 'org-9' } });
  });

  it('rejects an organ under a unit', () => {
    given([])
      .when(command('RegisterOrganization', { organizationId: 'org-2', name: '市粮食和物资储备局', kind: 'ORGAN', parentId: 'unit-1' }), {
        parentKind: 'UNIT',
      })
      .thenThrows('ORGANIZATION.INVALID_PARENT_KIND', { details: { organizationId: 'org-2', parentId: 'unit-1', parentKind: 'UNIT' } });
  });

  it('rejects registering an organization twice', () => {
    given([organRegistered])
      .when(command('RegisterOrganization', { organizationId: 'org-1', name: '另一个名称', kind: 'ORGAN' }), NO_CONTEXT)
      .thenThrows('ORGANIZATION.ALREADY_REGISTERED', { message: /org-1 is already registered as "市发展和改革委员会"/ });
  });

  it.each([
    ['name', { organizationId: 'org-1', name: '  ' }],
    ['organizationId', { organizationId: '', name: '市发展和改革委员会' }],
  ])('rejects an empty %s', (field, data) => {
    given([])
      .when(command('RegisterOrganization', { ...data, kind: 'ORGAN' }), NO_CONTEXT)
      .thenThrows('ORGANIZATION.EMPTY_FIELD', { details: { field } });
  });
});

describe('RenameOrganization', () => {
  it('renames, keeping the previous name in the event', () => {
    given([organRegistered])
      .when(command('RenameOrganization', { name: '市发展改革委' }), NO_CONTEXT)
      .then([{ type: 'OrganizationRenamed', data: { organizationId: 'org-1', previousName: '市发展和改革委员会', name: '市发展改革委' } }]);
  });

  it('names the latest name as the previous one after an earlier rename', () => {
    const renamed: OrganizationEvent = {
      type: 'OrganizationRenamed',
      data: { organizationId: 'org-1', previousName: '市发展和改革委员会', name: '市发展改革委' },
    };
    given([organRegistered, renamed])
      .when(command('RenameOrganization', { name: '市发改委' }), NO_CONTEXT)
      .then([{ type: 'OrganizationRenamed', data: { organizationId: 'org-1', previousName: '市发展改革委', name: '市发改委' } }]);
  });

  it('rejects renaming an organization that is not registered', () => {
    given([]).when(command('RenameOrganization', { name: '市发改委' }), NO_CONTEXT).thenThrows('ORGANIZATION.NOT_REGISTERED');
  });

  it('rejects the name the organization already has', () => {
    given([organRegistered])
      .when(command('RenameOrganization', { name: '市发展和改革委员会' }), NO_CONTEXT)
      .thenThrows('ORGANIZATION.NAME_UNCHANGED', { message: /org-1 is already named "市发展和改革委员会"/ });
  });

  it('rejects an empty name', () => {
    given([organRegistered]).when(command('RenameOrganization', { name: ' ' }), NO_CONTEXT).thenThrows('ORGANIZATION.EMPTY_FIELD', {
      details: { field: 'name' },
    });
  });
});

describe('AdoptRuleSet', () => {
  it('adopts a rule-set version for a year', () => {
    given([organRegistered]).when(adopt(), RULE_SET_IN_FORCE).then([adopted2025]);
  });

  it('adopts for each year separately', () => {
    given([organRegistered, adopted2025])
      .when(adopt({ year: 2026 }), RULE_SET_IN_FORCE)
      .then([{ type: 'RuleSetAdopted', data: { organizationId: 'org-1', year: 2026, ruleSetId: 'national-current', ruleSetVersion: 1 } }]);
  });

  it('accepts a version that takes effect on the last day of the year', () => {
    given([organRegistered])
      .when(adopt(), { ruleSet: { ruleSetExists: true, effectiveFrom: '2025-12-31' } })
      .then([adopted2025]);
  });

  it('rejects a version that takes effect after the end of the year', () => {
    given([organRegistered])
      .when(adopt(), { ruleSet: { ruleSetExists: true, effectiveFrom: '2026-01-01' } })
      .thenThrows('ORGANIZATION.RULE_SET_NOT_YET_EFFECTIVE', {
        message: 'national-current v1 takes effect on 2026-01-01, after the end of 2025',
        details: { year: 2025, effectiveFrom: '2026-01-01' },
      });
  });

  it.each([
    ['the caller found no such rule set', { ruleSet: { ruleSetExists: false } }],
    ['the caller did not check the rule set', NO_CONTEXT],
  ])('rejects a rule set when %s', (_case, context) => {
    given([organRegistered])
      .when(adopt({ ruleSetId: 'nowhere', ruleSetVersion: 3 }), context)
      .thenThrows('ORGANIZATION.RULE_SET_NOT_FOUND', { message: /nowhere v3/, details: { ruleSetId: 'nowhere', ruleSetVersion: 3 } });
  });

  it('rejects adopting the version already adopted for the year, reason or not', () => {
    given([organRegistered, adopted2025])
      .when(adopt({ reason: '重复提交' }), RULE_SET_IN_FORCE)
      .thenThrows('ORGANIZATION.RULE_SET_ALREADY_ADOPTED', {
        message: 'organization org-1 already adopted national-current v1 for 2025',
        details: { year: 2025, adopted: { ruleSetId: 'national-current', ruleSetVersion: 1 } },
      });
  });

  it.each([undefined, '  '])('rejects another version for the same year without a reason (%p)', (reason) => {
    given([organRegistered, adopted2025])
      .when(command('AdoptRuleSet', { year: 2025, ruleSetId: 'national-current', ruleSetVersion: 2, reason }), RULE_SET_IN_FORCE)
      .thenThrows('ORGANIZATION.REPLACEMENT_REASON_REQUIRED', {
        message: /already adopted national-current v1 for 2025; replacing it with national-current v2 needs a reason/,
        details: { adopted: { ruleSetId: 'national-current', ruleSetVersion: 1 }, requested: { ruleSetId: 'national-current', ruleSetVersion: 2 } },
      });
  });

  it('records another version with a reason as a replacement of the adoption', () => {
    given([organRegistered, adopted2025]).when(adopt({ ruleSetVersion: 2, reason: '上级通知修订了优秀比例' }), RULE_SET_IN_FORCE).then([replaced2025]);
  });

  it('records another rule set with a reason as a replacement too', () => {
    given([organRegistered, adopted2025])
      .when(adopt({ ruleSetId: 'trial-2007', reason: '误选规则' }), RULE_SET_IN_FORCE)
      .then([
        {
          type: 'RuleSetAdoptionReplaced',
          data: {
            organizationId: 'org-1',
            year: 2025,
            ruleSetId: 'trial-2007',
            ruleSetVersion: 1,
            replaced: { ruleSetId: 'national-current', ruleSetVersion: 1 },
            reason: '误选规则',
          },
        },
      ]);
  });

  it('measures a later adoption against the replacement: the replaced version may come back with a reason', () => {
    given([organRegistered, adopted2025, replaced2025])
      .when(adopt({ ruleSetVersion: 1, reason: '恢复原规则' }), RULE_SET_IN_FORCE)
      .then([
        {
          type: 'RuleSetAdoptionReplaced',
          data: {
            organizationId: 'org-1',
            year: 2025,
            ruleSetId: 'national-current',
            ruleSetVersion: 1,
            replaced: { ruleSetId: 'national-current', ruleSetVersion: 2 },
            reason: '恢复原规则',
          },
        },
      ]);
  });

  it('measures a later adoption against the replacement: the replacement itself is already adopted', () => {
    given([organRegistered, adopted2025, replaced2025])
      .when(adopt({ ruleSetVersion: 2, reason: '再次提交' }), RULE_SET_IN_FORCE)
      .thenThrows('ORGANIZATION.RULE_SET_ALREADY_ADOPTED', { message: /already adopted national-current v2 for 2025/ });
  });

  it('rejects adopting for an organization that is not registered', () => {
    given([]).when(adopt(), RULE_SET_IN_FORCE).thenThrows('ORGANIZATION.NOT_REGISTERED');
  });

  it.each([2025.5, 999, 10000])('rejects the year %p', (year) => {
    given([organRegistered]).when(adopt({ year }), RULE_SET_IN_FORCE).thenThrows('ORGANIZATION.INVALID_YEAR', { details: { year } });
  });

  it.each([0, -1, 1.5])('rejects the rule-set version %p', (ruleSetVersion) => {
    given([organRegistered])
      .when(adopt({ ruleSetVersion }), RULE_SET_IN_FORCE)
      .thenThrows('ORGANIZATION.INVALID_RULE_SET_VERSION', { details: { ruleSetVersion } });
  });

  it('rejects an empty rule-set id', () => {
    given([organRegistered]).when(adopt({ ruleSetId: '' }), RULE_SET_IN_FORCE).thenThrows('ORGANIZATION.EMPTY_FIELD', {
      details: { field: 'ruleSetId' },
    });
  });
});

describe('organization state and queries', () => {
  it('names the stream after the organization', () => {
    expect(streamIdOfOrganization('org-1')).toBe('organization-org-1');
  });

  it('reports the adoption in force for a year: the replacement once there is one', () => {
    expect(ruleSetAdoptedFor(stateAfter(organizationDecider, [organRegistered, adopted2025]), 2025)).toEqual({
      ruleSetId: 'national-current',
      ruleSetVersion: 1,
    });
    const state = stateAfter(organizationDecider, [organRegistered, adopted2025, replaced2025]);
    expect(ruleSetAdoptedFor(state, 2025)).toEqual({ ruleSetId: 'national-current', ruleSetVersion: 2 });
    expect(ruleSetAdoptedFor(state, 2026)).toBeUndefined();
    expect(ruleSetAdoptedFor(organizationDecider.initialState(), 2025)).toBeUndefined();
  });

  it('gives the kind a child registration needs from its parent', () => {
    expect(organizationKindOf(stateAfter(organizationDecider, [unitRegistered]))).toBe('UNIT');
    expect(organizationKindOf(organizationDecider.initialState())).toBeUndefined();
  });

  it('never throws in evolve: events before registration and unknown events leave the state as it was', () => {
    const unknown = { type: 'OrganizationMerged', data: { organizationId: 'org-1' } } as unknown as OrganizationEvent;
    expect(stateAfter(organizationDecider, [adopted2025, unknown])).toEqual({ status: 'UNREGISTERED' });
    expect(stateAfter(organizationDecider, [organRegistered, unknown])).toEqual(stateAfter(organizationDecider, [organRegistered]));
  });
});
