import type { Infrastructure } from '../../src/infrastructure.js';

/**
 * Waits until the last event appended so far is readable. The PostgreSQL log is read only below
 * the oldest transaction open anywhere on the server (the horizon is cluster-wide), so on a server
 * other work shares, a catch-up could otherwise return before the test's own appends.
 */
export async function untilLogReadable({ store, pool }: Pick<Infrastructure, 'store' | 'pool'>): Promise<void> {
  if (store.kind !== 'postgresql') return;
  const last = await store.lastGlobalPosition();
  if (last === null) return;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const readable = await pool.query<{ readable: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM events WHERE global_position = $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())) AS readable`,
      [last.toString()],
    );
    if (readable.rows[0].readable) return;
    if (Date.now() > deadline) throw new Error(`event ${last} did not become readable within 60 s: a transaction elsewhere on the server stays open`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
