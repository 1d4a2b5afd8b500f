import type { AppraisalService } from '../application/appraisal-service.js';
import type { ProjectionDefinition } from '../projection/projection.js';

export const LATE_FACT_FLAGS_PROCESS = 'late_fact_flags';

const FLAGGING_ACTOR = { id: 'system:late-facts', role: 'SYSTEM', organizationId: 'system' };

/** Facts that can make a final grade wrong when they reach the log after it. */
const LATE_FACT_TYPES = new Set(['PenaltyImposed', 'AdmonitionIssued', 'OrganizationalActionTaken', 'EfficiencyWarningIssued', 'InvestigationOpened']);

/**
 * The process manager for late-recorded facts (DOMAIN.md §4.4, scenario 7): a sanction or case
 * whose effective date precedes an already-final grade flags that grade with the reason; nothing
 * is overwritten, a correction resolves the flag. Deterministic command ids make replays harmless.
 */
export function lateFactFlagsProcess(appraisal: AppraisalService): ProjectionDefinition {
  return {
    name: LATE_FACT_FLAGS_PROCESS,
    version: 1,
    tables: [],
    followsAlone: true,
    async apply(_transaction, events) {
      for (const event of events) {
        if (!LATE_FACT_TYPES.has(event.type)) continue;
        await appraisal.flagLateFact(
          String(event.data.personId),
          {
            eventId: event.eventId,
            type: event.type,
            globalPosition: event.globalPosition.toString(),
            investigationOpenedOn: event.type === 'InvestigationOpened' ? String(event.data.openedOn) : undefined,
          },
          { actor: FLAGGING_ACTOR, now: event.recordedAt, correlationId: event.metadata.correlationId, causationId: event.eventId },
        );
      }
    },
  };
}
