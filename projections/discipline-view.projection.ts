import type { RecordedEvent } from '../src/event-store/event.js';
import type { DisciplineEvent } from '../src/people/domain/discipline-record.js';
import type { PureProjection, SqlStatement } from '../src/projection/projection.js';
import type { MeasureCode } from '../src/rule-set/domain/rule-set.js';

/** The person stream `person-<personId>` carries the discipline history. */
export const PERSON_STREAM_PREFIX = 'person-';

type DisciplineEventData<Type extends DisciplineEvent['type']> = Extract<DisciplineEvent, { type: Type }>['data'];

export type MeasureFamily = 'GOVERNMENT' | 'PARTY' | 'ADMONITION' | 'ORGANIZATIONAL' | 'EFFICIENCY_WARNING';

/** 政务处分, 党纪处分, 诫勉, 组织处理 or 效能告诫. */
export function measureFamily(measure: MeasureCode): MeasureFamily {
  if (measure.startsWith('GOVERNMENT_')) return 'GOVERNMENT';
  if (measure.startsWith('PARTY_')) return 'PARTY';
  if (measure.startsWith('ORGANIZATIONAL_')) return 'ORGANIZATIONAL';
  return measure === 'ADMONITION' ? 'ADMONITION' : 'EFFICIENCY_WARNING';
}

function measureRecorded(data: DisciplineEventData<'PenaltyImposed'>): SqlStatement {
  return {
    text: `INSERT INTO discipline_view (person_id, measure_id, measure, family, decision_date, effective_date, period_months,
             term_years, lifted_on, revoked, case_id, authority, document_number)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, false, $9, $10, $11)
           ON CONFLICT (person_id, measure_id) DO UPDATE
             SET measure = excluded.measure, family = excluded.family, decision_date = excluded.decision_date,
                 effective_date = excluded.effective_date, period_months = excluded.period_months,
                 term_years = excluded.term_years, case_id = excluded.case_id, authority = excluded.authority,
                 document_number = excluded.document_number`,
    values: [
      data.personId,
      data.measureId,
      data.measure,
      measureFamily(data.measure),
      data.decisionDate,
      data.effectiveDate,
      data.periodMonths,
      data.termYears,
      data.caseId,
      data.authority,
      data.documentNumber,
    ],
  };
}

/**
 * discipline_view: one row per measure on a person's record, with its effect window (effective
 * date, period or term, lifting) and whether it was revoked; investigation_view: one row per
 * investigation noted on a person's record, open or closed.
 */
export const disciplineViewProjection: PureProjection = {
  name: 'discipline_view',
  version: 1,
  tables: ['discipline_view', 'investigation_view'],
  handle(event: RecordedEvent): SqlStatement[] {
    if (!event.streamId.startsWith(PERSON_STREAM_PREFIX)) return [];
    switch (event.type as DisciplineEvent['type']) {
      case 'PenaltyImposed':
      case 'AdmonitionIssued':
      case 'OrganizationalActionTaken':
      case 'EfficiencyWarningIssued':
        return [measureRecorded(event.data as DisciplineEventData<'PenaltyImposed'>)];
      case 'MeasureLifted': {
        const data = event.data as DisciplineEventData<'MeasureLifted'>;
        return [{ text: 'UPDATE discipline_view SET lifted_on = $3 WHERE person_id = $1 AND measure_id = $2', values: [data.personId, data.measureId, data.date] }];
      }
      case 'MeasureRevoked': {
        const data = event.data as DisciplineEventData<'MeasureRevoked'>;
        return [{ text: 'UPDATE discipline_view SET revoked = true WHERE person_id = $1 AND measure_id = $2', values: [data.personId, data.measureId] }];
      }
      case 'InvestigationOpened': {
        const data = event.data as DisciplineEventData<'InvestigationOpened'>;
        return [
          {
            text: `INSERT INTO investigation_view (case_id, person_id, opened_on, closed_on, outcome)
                   VALUES ($1, $2, $3, NULL, NULL)
                   ON CONFLICT (case_id) DO UPDATE SET person_id = excluded.person_id, opened_on = excluded.opened_on`,
            values: [data.caseId, data.personId, data.openedOn],
          },
        ];
      }
      case 'InvestigationClosed': {
        const data = event.data as DisciplineEventData<'InvestigationClosed'>;
        return [
          {
            text: 'UPDATE investigation_view SET closed_on = $2, outcome = $3 WHERE case_id = $1',
            values: [data.caseId, data.closedOn, data.outcome],
          },
        ];
      }
      default:
        return [];
    }
  },
};
