import { randomUUID } from 'node:crypto';
import { readModelProjections } from '../../projections/index.js';
import { gradeConsequencesProjection } from '../../src/consequences/grade-consequences.projection.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { sealingProjection } from '../../src/integrity/sealing.projection.js';
import { fromPureProjection } from '../../src/projection/projection.js';
import { ProjectionRunner } from '../../src/projection/projection-runner.js';
import { verifyReplay } from '../../src/projection/replay-verify.js';
import { newEvent, TEST_ACTOR } from '../support/events.js';
import { fillLog } from '../support/fill-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let store: PostgresEventStore;
let runner: ProjectionRunner;

const DEFINITIONS = [sealingProjection, ...readModelProjections.map(fromPureProjection), gradeConsequencesProjection];
const VIEW_TABLES = DEFINITIONS.flatMap((definition) => definition.tables);

async function append(streamId: string, type: string, data: Record<string, unknown>): Promise<void> {
  const commandId = randomUUID();
  await store.appendToStream(streamId, 'any', [
    newEvent({ type, data, metadata: { commandId, actor: TEST_ACTOR, correlationId: commandId, causationId: commandId, effectiveAt: '2026-01-10' } }),
  ]);
}

async function appendRecord(personId: string, grade: string, score: number): Promise<void> {
  const stream = `appraisal-org1.${personId}.2025`;
  await append(stream, 'RecordOpened', {
    recordId: `org1.${personId}.2025`, cycleId: 'org1.2025', organizationId: 'org1', unitId: 'org1-office', personId, period: '2025',
    periodKind: 'ANNUAL', category: 'CIVIL_SERVANT', subjectRole: 'STAFF', participation: { outcome: 'GRADED', reason: '' },
    ruleSetId: 'national-current', ruleSetVersion: 2,
  });
  const outcome = { kind: 'GRADE', grade };
  await append(stream, 'GradeDetermined', { outcome, score, suggestedGrade: grade, determinedBy: 'c1', requiresPublicNotice: false, trace: [] });
  await append(stream, 'GradeFinalized', { outcome, finalizedOn: '2026-01-19' });
}

async function scratchSchemas(): Promise<string[]> {
  const result = await database.pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'replay\\_%'`);
  return result.rows.map((row) => row.nspname);
}

beforeAll(async () => {
  database = await createTestDatabase();
  store = new PostgresEventStore(database.pool);
  await fillLog(store, 12, 3, '2025Q3');
  for (const [index, grade] of ['EXCELLENT', 'GOOD', 'QUALIFIED', 'GOOD'].entries()) {
    await appendRecord(`p${index}`, grade, 90 - index * 5);
  }
  await append('person-p1', 'PenaltyImposed', {
    personId: 'p1', measureId: 'm1', measure: 'GOVERNMENT_WARNING', decisionDate: '2025-03-01', effectiveDate: '2025-03-01',
    periodMonths: 6, termYears: null, authority: '区监委', documentNumber: '监发〔2025〕1', caseId: null,
  });
  runner = new ProjectionRunner(database.pool, store, DEFINITIONS, { batchSize: 10 });
  for (const name of runner.names) await runner.catchUp(name);
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('verifyReplay', () => {
  it('reports every view table equal on an untouched database, and leaves no scratch schema', async () => {
    const progress: string[] = [];
    const result = await verifyReplay(database.pool, store, DEFINITIONS, { batchSize: 7, onProgress: (name) => progress.push(name) });
    expect(result.equal).toBe(true);
    expect(result.tables.map((table) => table.table).sort()).toEqual([...VIEW_TABLES].sort());
    expect(result.projections.map((projection) => projection.name)).not.toContain('event_seal');
    for (const table of result.tables) {
      expect(table).toMatchObject({ equal: true, differingRows: 0, differences: [] });
      expect(table.replayedRows).toBe(table.liveRows);
      expect(table.replayedChecksum).toBe(table.liveChecksum);
    }
    const gradeView = result.tables.find((table) => table.table === 'grade_view')!;
    expect(gradeView.liveRows).toBe(4);
    expect(progress).toContain('grade_view');
    expect(result.scratchSchema).toMatch(/^replay_[0-9a-f]+$/);
    expect(await scratchSchemas()).toEqual([]);
  });

  it('replays only up to where the live view stands', async () => {
    await appendRecord('p9', 'GOOD', 80);
    const result = await verifyReplay(database.pool, store, DEFINITIONS);
    expect(result.equal).toBe(true);
    expect(result.tables.find((table) => table.table === 'grade_view')!.liveRows).toBe(4);
    for (const name of runner.names) await runner.catchUp(name);
  });

  it('reports the table and the differing rows after a live row is tampered with', async () => {
    await database.pool.query(`UPDATE grade_view SET grade = 'POOR' WHERE record_id = 'org1.p1.2025'`);
    await database.pool.query(`DELETE FROM audit_trail WHERE global_position = (SELECT min(global_position) FROM audit_trail)`);

    const result = await verifyReplay(database.pool, store, DEFINITIONS);
    expect(result.equal).toBe(false);
    const differing = result.tables.filter((table) => !table.equal);
    expect(differing.map((table) => table.table).sort()).toEqual(['audit_trail', 'grade_view']);

    const gradeView = differing.find((table) => table.table === 'grade_view')!;
    expect(gradeView.liveRows).toBe(gradeView.replayedRows);
    expect(gradeView.liveChecksum).not.toBe(gradeView.replayedChecksum);
    expect(gradeView.differingRows).toBe(1);
    expect(gradeView.differences).toEqual([
      { key: { record_id: 'org1.p1.2025' }, live: expect.objectContaining({ grade: 'POOR' }), replayed: expect.objectContaining({ grade: 'GOOD' }) },
    ]);

    const auditTrail = differing.find((table) => table.table === 'audit_trail')!;
    expect(auditTrail.replayedRows).toBe(auditTrail.liveRows + 1);
    expect(auditTrail.differences).toHaveLength(1);
    expect(auditTrail.differences[0].live).toBeNull();
    expect(auditTrail.differences[0].replayed).toMatchObject({ global_position: Number(auditTrail.differences[0].key.global_position) });

    expect(result.projections.find((projection) => projection.name === 'discipline_view')!.equal).toBe(true);
    expect(await scratchSchemas()).toEqual([]);
    // The projections' locks are released: the live runner carries on.
    expect(await runner.runBatch('grade_view')).toEqual({ applied: 0 });
  });

  it('is equal again once the tampered view is rebuilt', async () => {
    await runner.rebuild('grade_view');
    await runner.rebuild('audit_trail');
    expect((await verifyReplay(database.pool, store, DEFINITIONS)).equal).toBe(true);
  });
});
