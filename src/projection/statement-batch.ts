import { createRequire } from 'node:module';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
 * The text node-postgres would send for the value as a parameter (`prepareValue`: arrays as array
 * literals, objects as JSON, dates as timestamps, bytes as `\x` hex); null for null and undefined.
 */
function parameterText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const prepared = prepareValue(value);
  if (prepared === null) return null;
  return Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : prepared;
}

/**
 * The value as an SQL literal, exactly as node-postgres would have sent it as a parameter: its
 * parameter text as an untyped quoted literal, which PostgreSQL types from its context as it types
 * an untyped parameter. NULL for null and undefined.
 */
function literal(value: unknown): string {
  const text = parameterText(value);
  return text === null ? 'NULL' : quoted(text);
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
 * their rows. Groups: everything up to VALUES, the table, its column list, the VALUES tuple.
 */
const PLAIN_INSERT = /^\s*(INSERT\s+INTO\s+([\w".]+)\s*(\([^()]*\))\s*VALUES)\s*(\([^;]*\))\s*$/is;

/** A VALUES tuple of bare placeholders, `($1, $2, …)`: each column takes one parameter's text as it is. */
const BARE_PLACEHOLDERS = /^\(\s*\$\d+(\s*,\s*\$\d+)*\s*\)$/;

interface PlainInsert {
  head: string;
  tuple: string;
  /** `COPY table (columns) FROM STDIN` and the parameter of each column, when the tuple is bare placeholders. */
  copy: { statement: string; indexes: number[] } | null;
}

/** Per statement text: its parts when it is a plain INSERT, null otherwise. */
const plainInserts = new Map<string, PlainInsert | null>();

function plainInsertOf(text: string): PlainInsert | null {
  let parts = plainInserts.get(text);
  if (parts === undefined) {
    const match = PLAIN_INSERT.exec(text);
    parts =
      !match || /\b(ON\s+CONFLICT|RETURNING|SELECT)\b/i.test(match[4])
        ? null
        : {
            head: match[1],
            tuple: match[4],
            copy: BARE_PLACEHOLDERS.test(match[4])
              ? { statement: `COPY ${match[2]} ${match[3]} FROM STDIN`, indexes: templateOf(match[4]).indexes }
              : null,
          };
    if (plainInserts.size >= MAX_TEMPLATES) plainInserts.clear();
    plainInserts.set(text, parts);
  }
  return parts;
}

/** Characters COPY's text format escapes with a backslash. */
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The value as a field of COPY's text format: its parameter text, which the column's input
 * function reads as it reads an untyped literal, escaped; \N for null and undefined.
 */
function copyField(value: unknown): string {
  const text = parameterText(value);
  if (text === null) return '\\N';
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (special) => COPY_ESCAPED[special]) : text;
}

/** Rows for one COPY: its statement and its data, one line per row. */
export interface CopyRun {
  copy: string;
  data: string;
}

/**
 * From this many rows, a run of the same plain INSERT of bare placeholders goes as COPY, which
 * PostgreSQL reads at about half the server time of the same rows as INSERT text; it costs a round
 * trip of its own, so the service's small batches keep to one message.
 */
const COPY_FROM_ROWS = 100;

/** Rows of one combined INSERT at most. */
const MAX_ROWS_PER_INSERT = 1_000;

/**
 * The statements as SQL, in order: runs of the same plain INSERT (same text up to VALUES) written
 * as one multi-row INSERT, which PostgreSQL parses and plans once, not once per row, or as a COPY
 * when the run is long and its VALUES are bare placeholders.
 */
export function combineStatements(statements: SqlStatement[]): (string | CopyRun)[] {
  const combined: (string | CopyRun)[] = [];
  let run: { head: string; rows: { insert: PlainInsert; values: unknown[] }[] } | undefined;
  const endRun = () => {
    if (!run) return;
    const { rows } = run;
    const copy = rows[0].insert.copy;
    if (copy && rows.length >= COPY_FROM_ROWS && rows.every((row) => row.insert === rows[0].insert)) {
      let data = '';
      for (const row of rows) data += `${copy.indexes.map((index) => copyField(row.values[index])).join('\t')}\n`;
      combined.push({ copy: copy.statement, data });
    } else {
      for (let from = 0; from < rows.length; from += MAX_ROWS_PER_INSERT) {
        const tuples = rows.slice(from, from + MAX_ROWS_PER_INSERT).map((row) => inlineStatement({ text: row.insert.tuple, values: row.values }));
        combined.push(`${run.head} ${tuples.join(',\n')}`);
      }
    }
    run = undefined;
  };
  for (const statement of statements) {
    const insert = plainInsertOf(statement.text);
    if (insert && run?.head === insert.head) {
      run.rows.push({ insert, values: statement.values });
      continue;
    }
    endRun();
    if (insert) run = { head: insert.head, rows: [{ insert, values: statement.values }] };
    else combined.push(inlineStatement(statement));
  }
  endRun();
  return combined;
}

/** Statements sent at once, at most about this many characters of SQL each time. */
const MAX_BATCH_CHARACTERS = 4 * 1024 * 1024;

async function copyRows(client: Pick<pg.ClientBase, 'query'>, run: CopyRun): Promise<void> {
  const stream = client.query(copyFrom(run.copy));
  stream.end(run.data);
  await finished(stream);
}

/**
 * Runs the statements in order on the client, many in one message (the simple query protocol
 * takes several statements separated by semicolons): one round trip for a batch of events instead
 * of one per statement, runs of the same plain INSERT as one, long ones as COPY. In the caller's
 * transaction, so a failing statement fails the batch as a single statement would have.
 * `around.first` and `around.last` (SQL text, e.g. a claim of the batch, and its checkpoint and
 * COMMIT) go in the first message before them all and in the final one after them all.
 */
export async function runStatements(
  client: Pick<pg.ClientBase, 'query'>,
  statements: SqlStatement[],
  around: { first?: string; last?: string } = {},
): Promise<void> {
  let pending: string[] = around.first === undefined ? [] : [around.first];
  let characters = 0;
  const send = async () => {
    if (pending.length > 0) await client.query(pending.join(';\n'));
    pending = [];
    characters = 0;
  };
  for (const item of combineStatements(statements)) {
    if (typeof item !== 'string') {
      await send();
      await copyRows(client, item);
      continue;
    }
    pending.push(item);
    characters += item.length + 2;
    if (characters >= MAX_BATCH_CHARACTERS) await send();
  }
  if (around.last !== undefined) pending.push(around.last);
  await send();
}
