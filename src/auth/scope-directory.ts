import { StreamCache } from '../application/stream-cache.js';
import { foldEvents } from '../command/command-handler.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { personDecider, streamIdOfPerson } from '../people/domain/person.decider.js';
import { EVERY_ORGANIZATION } from './roles.js';

/** Who and where a record is about, from its RecordOpened event. */
export interface RecordPlace {
  organizationId: string;
  unitId: string;
  personId: string;
}

/** A map that forgets everything once it holds `limit` entries: identities never change, so a miss only costs a read. */
class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly limit = 50_000) {}
  get(key: string): V | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: V): V {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}

/**
 * Where things sit in the organization tree, read from the log rather than the read models, so a
 * write right after a registration is judged on what was registered (no projection lag). What never
 * changes once written — an organization's parent, a record's organization, unit and person, a
 * case's person, an assessment's organization — is cached; a person's post is read every time
 * (the events after those already read).
 */
export class ScopeDirectory {
  private readonly parents = new BoundedCache<string | null>();
  private readonly records = new BoundedCache<RecordPlace>();
  private readonly cases = new BoundedCache<string>();
  private readonly assessments = new BoundedCache<string>();

  /** People's streams, read again on every request for their current post: only what was appended since comes from the store. */
  private readonly people: StreamCache;

  constructor(private readonly store: EventStore) {
    this.people = new StreamCache(store);
  }

  private async firstEventData(streamId: string): Promise<Record<string, unknown> | undefined> {
    const [first] = await this.store.readStream(streamId, { maxCount: 1 });
    return first?.data;
  }

  /** The parent of a registered organization (null for a root); undefined when it is not registered. */
  async parentOf(organizationId: string): Promise<string | null | undefined> {
    const cached = this.parents.get(organizationId);
    if (cached !== undefined) return cached;
    const registered = await this.firstEventData(`organization-${organizationId}`);
    if (!registered) return undefined;
    return this.parents.set(organizationId, typeof registered.parentId === 'string' ? registered.parentId : null);
  }

  /** Whether `organizationId` is `root` or lies below it, to any depth (`*` contains everything). */
  async contains(root: string, organizationId: string): Promise<boolean> {
    if (root === EVERY_ORGANIZATION || root === organizationId) return true;
    let current: string | null | undefined = organizationId;
    for (let depth = 0; depth < 64 && current; depth++) {
      current = await this.parentOf(current);
      if (current === root) return true;
    }
    return false;
  }

  async record(recordId: string): Promise<RecordPlace | undefined> {
    const cached = this.records.get(recordId);
    if (cached) return cached;
    const opened = await this.firstEventData(`appraisal-${recordId}`);
    if (!opened || typeof opened.organizationId !== 'string') return undefined;
    return this.records.set(recordId, { organizationId: opened.organizationId, unitId: String(opened.unitId), personId: String(opened.personId) });
  }

  /** The organization of the person's current post; undefined when the person is not registered. */
  async postOf(personId: string): Promise<string | undefined> {
    const state = foldEvents(personDecider, await this.people.read(streamIdOfPerson(personId)));
    if (state.status === 'UNREGISTERED') return undefined;
    return state.posts[state.posts.length - 1]?.organizationId;
  }

  /** The person a case is about; undefined when no such case was opened. */
  async personOfCase(caseId: string): Promise<string | undefined> {
    const cached = this.cases.get(caseId);
    if (cached) return cached;
    const opened = await this.firstEventData(`case-${caseId}`);
    if (!opened || typeof opened.personId !== 'string') return undefined;
    return this.cases.set(caseId, opened.personId);
  }

  async organizationOfAssessment(assessmentId: string): Promise<string | undefined> {
    const cached = this.assessments.get(assessmentId);
    if (cached) return cached;
    const opened = await this.firstEventData(`unit-assessment-${assessmentId}`);
    if (!opened || typeof opened.organizationId !== 'string') return undefined;
    return this.assessments.set(assessmentId, opened.organizationId);
  }
}
