import type { PureProjection } from '../src/projection/projection.js';
import { auditTrailProjection } from './audit-trail.projection.js';
import { disciplineViewProjection } from './discipline-view.projection.js';
import { gradeHistoryProjection } from './grade-history.projection.js';
import { gradeViewProjection } from './grade-view.projection.js';
import { organizationTreeProjection } from './organization-tree.projection.js';

/** Every read model built from the log; `rebuild all` rebuilds exactly these. */
export const readModelProjections: PureProjection[] = [auditTrailProjection, gradeViewProjection, gradeHistoryProjection, disciplineViewProjection, organizationTreeProjection];
