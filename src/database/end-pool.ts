import type pg from 'pg';

/**
 * pg-pool's end() resolves before its connections have closed; waiting for them keeps what
 * follows (stopping the embedded server, dropping a database) from cutting them off mid-close.
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) return resolve();
    pool.on('remove', () => {
      open -= 1;
      if (open === 0) resolve();
    });
  });
  await pool.end();
  await closed;
}
