import type pg from 'pg';
import type { SealLink } from './seal-chain.js';

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

interface SealRow {
  seal_position: string;
  global_position: string;
  event_id: string;
  event_hash: string;
  chain_hash: string;
}

function toLink(row: SealRow): SealLink {
  return {
    sealPosition: BigInt(row.seal_position),
    globalPosition: BigInt(row.global_position),
    eventId: row.event_id,
    eventHash: row.event_hash,
    chainHash: row.chain_hash,
  };
}

/** The append-only seal table, kept in the read-model database whatever the event store. */
export const sealRepository = {
  async last(db: Queryable): Promise<SealLink | undefined> {
    const result = await db.query<SealRow>(
      'SELECT seal_position, global_position, event_id, event_hash, chain_hash FROM event_seal ORDER BY seal_position DESC LIMIT 1',
    );
    return result.rows[0] ? toLink(result.rows[0]) : undefined;
  },

  /** The link at one seal position, if the seal reaches it. */
  async at(db: Queryable, sealPosition: bigint): Promise<SealLink | undefined> {
    const result = await db.query<SealRow>(
      'SELECT seal_position, global_position, event_id, event_hash, chain_hash FROM event_seal WHERE seal_position = $1',
      [sealPosition.toString()],
    );
    return result.rows[0] ? toLink(result.rows[0]) : undefined;
  },

  async readAfter(db: Queryable, afterSealPosition: bigint, maxCount: number): Promise<SealLink[]> {
    const result = await db.query<SealRow>(
      `SELECT seal_position, global_position, event_id, event_hash, chain_hash FROM event_seal
        WHERE seal_position > $1 ORDER BY seal_position LIMIT $2`,
      [afterSealPosition.toString(), maxCount],
    );
    return result.rows.map(toLink);
  },

  async append(db: Queryable, links: SealLink[]): Promise<void> {
    if (links.length === 0) return;
    await db.query(
      `INSERT INTO event_seal (seal_position, global_position, event_id, event_hash, chain_hash)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::uuid[], $4::text[], $5::text[])`,
      [
        links.map((link) => link.sealPosition.toString()),
        links.map((link) => link.globalPosition.toString()),
        links.map((link) => link.eventId),
        links.map((link) => link.eventHash),
        links.map((link) => link.chainHash),
      ],
    );
  },

  async containsEvent(db: Queryable, eventId: string): Promise<boolean> {
    const result = await db.query('SELECT 1 FROM event_seal WHERE event_id = $1', [eventId]);
    return result.rows.length > 0;
  },
};
