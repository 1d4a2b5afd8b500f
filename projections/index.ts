import type { PureProjection } from '../src/projection/projection.js';
import { auditTrailProjection } from './audit-trail.projection.js';

/** Every read model built from the log; `rebuild all` rebuilds exactly these. */
export const readModelProjections: PureProjection[] = [auditTrailProjection];
