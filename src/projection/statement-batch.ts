import { createRequire } from 'node:module';
import type pg from 'pg';
import type { SqlStatement } from './projection.js';

/** node-postgres' own conversion of a parameter to the text it sends (not in its typings). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): string | Buffer | null };

const NEEDS_ESCAPING = /['\\]/;

/** A quoted literal of the text (node-postgres' escapeLiteral, without its character-by-character loop for the common case). */
function quoted(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return `'${text}'`;
  const doubled = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}

/** `$1`, `$2`, … in a statement's text. */
const PLACEHOLDER = /\$(\d+)/g;

/**
 * The value as an SQL literal, exactly as node-postgres would have sent it as a parameter: the
 * same text (`prepareValue`: arrays as array literals, objects as JSON, dates as timestamps), as
 * an untyped quoted literal, which PostgreSQL types from its context as it types an untyped
 * parameter. NULL for null and undefined.
 */
function literal(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number' || typeof value === 'bigint') return `'${value}'`;
  const prepared = prepareValue(value);
  if (prepared === null) return 'NULL';
  if (Buffer.isBuffer(prepared)) return quoted(`\\x${prepared.toString('hex')}`);
  return quoted(prepared);
}

/** A statement's text cut at its placeholders: texts[0], value of indexes[0], texts[1], … */
interface Template {
  texts: string[];
  indexes: number[];
}

/** Templates of the texts seen (a projection has a few dozen statement texts). */
const templates = new Map<string, Template>();
const MAX_TEMPLATES = 1_000;

function templateOf(text: string): Template {
  let template = templates.get(text);
  if (!template) {
    const texts: string[] = [];
    const indexes: number[] = [];
    let from = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      texts.push(text.slice(from, match.index));
      indexes.push(Number(match[1]) - 1);
      from = match.index + match[0].length;
    }
    texts.push(text.slice(from));
    template = { texts, indexes };
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(text, template);
  }
  return template;
}

/** The statement with its parameters written in as literals. */
export function inlineStatement(statement: SqlStatement): string {
  const { texts, indexes } = templateOf(statement.text);
  let sql = texts[0];
  for (let part = 0; part < indexes.length; part += 1) {
    const index = indexes[part];
    if (index < 0 || index >= statement.values.length) {
      throw new Error(`$${index + 1} has no value (${statement.values.length} given) in: ${statement.text}`);
    }
    sql += literal(statement.values[index]) + texts[part + 1];
  }
  return sql;
}

/**
 * A plain single-row INSERT: `INSERT INTO table (columns) VALUES (…)` and nothing after it (no ON
 * CONFLICT, no RETURNING), so that several of them in a row are the same as one INSERT of all
 * their rows. Group 1 is everything up to VALUES.
 */
const PLAIN_INSERT = /^\s*(INSERT\s+INTO\s+[\w".]+\s*\([^()]*\)\s*VALUES)\s*(\([^;]*\))\s*$/is;

/** Per statement text: its INSERT head and VALUES tuple when it is a plain INSERT, null otherwise. */
const plainInserts = new Map<string, { head: string; tuple: string } | null>();

/** The VALUES tuple of a plain INSERT, with its parameters written in; undefined for any other statement. */
function insertedRow(statement: SqlStatement): { head: string; row: string } | undefined {
  let parts = plainInserts.get(statement.text);
  if (parts === undefined) {
    const match = PLAIN_INSERT.exec(statement.text);
    parts = !match || /\b(ON\s+CONFLICT|RETURNING|SELECT)\b/i.test(match[2]) ? null : { head: match[1], tuple: match[2] };
    if (plainInserts.size >= MAX_TEMPLATES) plainInserts.clear();
    plainInserts.set(statement.text, parts);
  }
  return parts ? { head: parts.head, row: inlineStatement({ text: parts.tuple, values: statement.values }) } : undefined;
}

/**
 * The statements as SQL, in order, with runs of the same plain INSERT (same text up to VALUES)
 * written as one multi-row INSERT: PostgreSQL parses and plans it once, not once per row.
 */
export function combineStatements(statements: SqlStatement[]): string[] {
  const combined: string[] = [];
  let run: { head: string; rows: string[] } | undefined;
  const endRun = () => {
    if (run) combined.push(`${run.head} ${run.rows.join(',\n')}`);
    run = undefined;
  };
  for (const statement of statements) {
    const inserted = insertedRow(statement);
    if (inserted && run?.head === inserted.head && run.rows.length < MAX_ROWS_PER_INSERT) {
      run.rows.push(inserted.row);
      continue;
    }
    endRun();
    if (inserted) run = { head: inserted.head, rows: [inserted.row] };
    else combined.push(inlineStatement(statement));
  }
  endRun();
  return combined;
}

/** Rows of one combined INSERT at most. */
const MAX_ROWS_PER_INSERT = 1_000;

/** Statements sent at once, at most about this many characters of SQL each time. */
const MAX_BATCH_CHARACTERS = 4 * 1024 * 1024;

/**
 * Runs the statements in order on the client, many in one message (the simple query protocol
 * takes several statements separated by semicolons): one round trip for a batch of events instead
 * of one per statement, runs of the same plain INSERT as one. In the caller's transaction, so a
 * failing statement fails the batch as a single statement would have.
 */
export async function runStatements(client: Pick<pg.ClientBase, 'query'>, statements: SqlStatement[]): Promise<void> {
  let pending: string[] = [];
  let characters = 0;
  for (const sql of combineStatements(statements)) {
    pending.push(sql);
    characters += sql.length + 2;
    if (characters >= MAX_BATCH_CHARACTERS) {
      await client.query(pending.join(';\n'));
      pending = [];
      characters = 0;
    }
  }
  if (pending.length > 0) await client.query(pending.join(';\n'));
}
