import type { Infrastructure } from '../infrastructure.js';
import { AccessControl } from './access-control.js';
import { AccessDenialLog } from './access-denial-log.js';
import type { Authentication } from './authentication.js';
import { ScopeDirectory } from './scope-directory.js';

/** What the edge checks requests with: who is calling (authentication) and what they may do (access). */
export interface EdgeSecurity {
  authentication: Authentication;
  access: AccessControl;
  denials: AccessDenialLog;
}

export function createEdgeSecurity(infrastructure: Pick<Infrastructure, 'pool' | 'store'>, authentication: Authentication, log?: (message: string) => void): EdgeSecurity {
  const denials = new AccessDenialLog(infrastructure.pool);
  return { authentication, denials, access: new AccessControl(new ScopeDirectory(infrastructure.store), denials, log) };
}
