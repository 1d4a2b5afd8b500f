import pg from 'pg';
import { randomUUID } from 'node:crypto';
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/bench_cmd' });
const text = (await import('node:fs')).readFileSync('/work/main/src/event-store/postgres/postgres-event-store.ts', 'utf8');
const m = text.match(/APPEND_MANY_STATEMENT = \{[\s\S]*?text: `([\s\S]*?)`,/);
const sql = m[1];
const heads = (await pool.query(`select distinct on (stream_id) stream_id, stream_revision, hash, data, metadata from events where stream_id like 'appraisal-%' order by stream_id, stream_revision desc limit ${process.argv[2] ?? 10}`)).rows;
const n = heads.length;
const params = [heads.map(h => h.stream_id), heads.map(h => Number(h.stream_revision) + 1), heads.map(() => randomUUID()), heads.map(() => 'cmd-' + randomUUID()), heads.map(() => 'CommentWritten'), heads.map(() => 1), JSON.stringify(heads.map(h => h.data)), JSON.stringify(heads.map(h => h.metadata)), heads.map(() => new Date().toISOString()), heads.map(() => '2025-07-01'), heads.map(() => 'a'.repeat(64)), heads.map(h => h.stream_id), heads.map(h => Number(h.stream_revision)), heads.map(h => h.hash)];
const c = await pool.connect();
for (let i = 0; i < 3; i++) {
  await c.query('BEGIN');
  const r = await c.query('EXPLAIN (ANALYZE, BUFFERS, TIMING on) ' + sql, params);
  await c.query('ROLLBACK');
  if (i === 2) console.log(r.rows.map(x => x['QUERY PLAN']).join('\n'));
}
c.release(); await pool.end();
