import type { AppraisalService } from '../application/appraisal-service.js';
import type { ProjectionDefinition } from '../projection/projection.js';

export const BACKFILL_PROCESS = 'backfill_process';

/** The actor process managers act as: the commands they issue are the system's, caused by an event. */
export const BACKFILL_ACTOR = { id: 'system:backfill', role: 'SYSTEM', organizationId: 'system' };

/**
 * The process manager of 补定等次: it follows the log like a projection and, for every case that
 * closes, backfills the records the case withheld or leaves them ungraded for good. Its commands
 * have ids derived from the case and the record and are stamped with the closing event's time, so
 * a crash before the checkpoint, a retry or a replay issues the same commands and changes nothing
 * twice. It keeps no rows, so it is not a view to rebuild.
 */
export function backfillProcess(appraisal: AppraisalService): ProjectionDefinition {
  return {
    name: BACKFILL_PROCESS,
    version: 1,
    tables: [],
    followsAlone: true,
    async apply(_transaction, events) {
      for (const event of events) {
        if (event.type !== 'CaseClosed') continue;
        await appraisal.settleWithheldRecords(String(event.data.caseId), {
          actor: BACKFILL_ACTOR,
          now: event.recordedAt,
          correlationId: event.metadata.correlationId,
          causationId: event.eventId,
        });
      }
    },
  };
}
