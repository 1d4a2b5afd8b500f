import type pg from 'pg';
import type { RecordedEvent } from '../event-store/event.js';
import { runStatements } from './statement-batch.js';

/** A parameterised SQL statement produced by a pure projection handler. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/**
 * A read model as a pure function from one event to SQL statements. Handlers must be idempotent
 * in effect only through the runner: it applies each event exactly once, in global order.
 */
export interface PureProjection {
  name: string;
  /** Bump when the handler or its tables change: the runner then rebuilds from zero. */
  version: number;
  /** Tables the projection owns; a rebuild empties them. */
  tables: string[];
  handle(event: RecordedEvent): SqlStatement[];
  /**
   * The statements of a batch of events, in global order, when the projection can say the same
   * with fewer than `handle` event by event (same tables afterwards); absent: `handle` of each.
   */
  handleBatch?(events: RecordedEvent[]): SqlStatement[];
}

/** What the runner drives: applies a batch inside the transaction that also moves the checkpoint. */
export interface ProjectionDefinition {
  name: string;
  version: number;
  /** Tables emptied by a rebuild; an empty list means the projection cannot be rebuilt (evidence). */
  tables: string[];
  apply(transaction: pg.PoolClient, events: RecordedEvent[]): Promise<void>;
  /**
   * Set for a process manager, whose batches act outside their transaction (it issues commands):
   * it follows the log in a loop of its own. The runner's other projections follow it together,
   * each batch applied to all of them in one transaction.
   */
  followsAlone?: boolean;
}

/** The statements of the definitions `fromPureProjection` made, by definition (a copy or wrapper of one is not in it). */
const PURE_STATEMENTS = new WeakMap<ProjectionDefinition, (events: RecordedEvent[]) => SqlStatement[]>();

/**
 * A batch's statements, when the definition is exactly one `fromPureProjection` made (applying a
 * batch is then nothing but running them, and the runner may send them with the batch's checkpoint
 * and commit); undefined for any other, a definition copied with another `apply` included.
 */
export function pureStatementsOf(definition: ProjectionDefinition): ((events: RecordedEvent[]) => SqlStatement[]) | undefined {
  return PURE_STATEMENTS.get(definition);
}

/** The batch's statements, event by event in order, sent together (one round trip, not one per statement). */
export function fromPureProjection(projection: PureProjection): ProjectionDefinition {
  const statements = (events: RecordedEvent[]) =>
    projection.handleBatch ? projection.handleBatch(events) : events.flatMap((event) => projection.handle(event));
  const definition: ProjectionDefinition = {
    name: projection.name,
    version: projection.version,
    tables: projection.tables,
    async apply(transaction, events) {
      await runStatements(transaction, statements(events));
    },
  };
  PURE_STATEMENTS.set(definition, statements);
  return definition;
}
