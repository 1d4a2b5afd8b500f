import type pg from 'pg';

/**
 * What `run` sends on the connections it takes from `pool` (a projection runner's transactions;
 * reads of the log left out), and its outcome.
 */
export async function transactionMessages<T>(pool: pg.Pool, run: () => Promise<T>): Promise<{ outcome: T; sent: string[] }> {
  const sent: string[] = [];
  const counted = new WeakSet<object>();
  const count = (client: pg.PoolClient) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return query(...args);
    };
  };
  pool.on('acquire', count);
  try {
    const outcome = await run();
    return { outcome, sent: sent.filter((text) => !text.includes('FROM events')).map((text) => text.trim()) };
  } finally {
    pool.off('acquire', count);
  }
}
