import fc from 'fast-check';
import { combineStatements, inlineStatement, runStatements } from '../../src/projection/statement-batch.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

/** Text PostgreSQL accepts (no NUL, no lone surrogates). */
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\u0000'));
const tricky = fc.constantFrom("it's", 'back\\slash', "\\'", '$1', '$$', 'E\'x\'', '优秀', '', ' ', '\n\t', 'NULL', "'); DROP TABLE x; --");

describe('statements sent with their values written in', () => {
  test('every value reaches the server as the same value as a parameter would', async () => {
    const client = await database.pool.connect();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(text, tricky),
          fc.option(fc.integer(), { nil: null }),
          fc.array(fc.oneof(text, tricky), { maxLength: 5 }),
          fc.dictionary(fc.oneof(text, tricky), fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 4 }),
          fc.boolean(),
          fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 5 }),
          fc.array(fc.option(fc.dictionary(fc.oneof(text, tricky), fc.oneof(text, tricky, fc.integer()), { maxKeys: 3 }), { nil: null }), { maxLength: 3 }),
          fc.array(fc.array(fc.oneof(text, tricky), { minLength: 2, maxLength: 2 }), { maxLength: 3 }),
          async (someText, someNumber, someTexts, someObject, someBoolean, someIntegers, someObjects, somePairs) => {
            const statement = {
              text: 'SELECT $1::text AS a, $2::bigint AS b, $3::text[] AS c, $4::jsonb AS d, $5::boolean AS e, $1 = $1 AS f, $6::int[] AS g, $7::jsonb[] AS h, $8::text[] AS i',
              values: [someText, someNumber, someTexts, someObject, someBoolean, someIntegers, someObjects, somePairs],
            };
            const asParameters = await client.query(statement.text, statement.values);
            const inlined = await client.query(inlineStatement(statement));
            expect(inlined.rows).toEqual(asParameters.rows);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      client.release();
    }
  });

  test('a placeholder without a value is refused, naming the statement', () => {
    expect(() => inlineStatement({ text: 'SELECT $2', values: [1] })).toThrow(/\$2 has no value \(1 given\) in: SELECT \$2/);
  });

  test('the statements run in order, in the caller transaction, and a failing one fails them all', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('CREATE TABLE batch_probe (n int PRIMARY KEY, label text)');
      await client.query('BEGIN');
      await runStatements(client, [
        { text: 'INSERT INTO batch_probe VALUES ($1, $2)', values: [1, "first's"] },
        { text: 'UPDATE batch_probe SET label = label || $2 WHERE n = $1', values: [1, ' then second'] },
      ]);
      await client.query('COMMIT');
      expect((await client.query('SELECT label FROM batch_probe')).rows).toEqual([{ label: "first's then second" }]);

      await client.query('BEGIN');
      await expect(
        runStatements(client, [
          { text: 'INSERT INTO batch_probe VALUES ($1, $2)', values: [2, 'kept?'] },
          { text: 'INSERT INTO batch_probe VALUES ($1, $2)', values: [1, 'duplicate'] },
        ]),
      ).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT n FROM batch_probe ORDER BY n')).rows).toEqual([{ n: 1 }]);
    } finally {
      client.release();
    }
  });

  test('runs of the same plain INSERT become one INSERT of all their rows; anything else stays as it is, in order', () => {
    const insert = (n: number) => ({ text: 'INSERT INTO t (n, label) VALUES ($1, $2)', values: [n, `row ${n}`] });
    const upsert = { text: 'INSERT INTO t (n, label) VALUES ($1, $2) ON CONFLICT (n) DO UPDATE SET label = excluded.label', values: [9, 'x'] };
    const returning = { text: 'INSERT INTO t (n, label) VALUES ($1, $2) RETURNING (n)', values: [8, 'y'] };
    const update = { text: 'UPDATE t SET label = $2 WHERE n = $1', values: [1, 'z'] };
    expect(combineStatements([insert(1), insert(2), update, insert(3), upsert, insert(4), returning])).toEqual([
      "INSERT INTO t (n, label) VALUES ('1', 'row 1'),\n('2', 'row 2')",
      "UPDATE t SET label = 'z' WHERE n = '1'",
      "INSERT INTO t (n, label) VALUES ('3', 'row 3')",
      "INSERT INTO t (n, label) VALUES ('9', 'x') ON CONFLICT (n) DO UPDATE SET label = excluded.label",
      "INSERT INTO t (n, label) VALUES ('4', 'row 4')",
      "INSERT INTO t (n, label) VALUES ('8', 'y') RETURNING (n)",
    ]);
  });

  /** Rows with every kind of value a view writes, and the characters COPY's text format escapes. */
  const probeRows = (count: number) =>
    Array.from({ length: count }, (_, n) => ({
      text: 'INSERT INTO combined_probe (n, label, at, tags, doc) VALUES ($1, $2, $3, $4, $5)',
      values: [
        n,
        n % 7 === 0 ? null : [`第${n}行 'q'`, 'tab\there', 'line\nbreak\r', 'back\\slash \\N', '\\.', ''][n % 6],
        '2025-03-01T08:00:00.000Z',
        n % 3 === 0 ? [] : ['a', `b${n}`, 'c,"d"', 'e\tf'],
        n % 5 === 0 ? null : { n, text: 'x\ty\\z\n', list: [1, 'two'] },
      ],
    }));

  async function sameRowsAsOneByOne(statements: ReturnType<typeof probeRows>): Promise<void> {
    const client = await database.pool.connect();
    try {
      await client.query('CREATE TABLE IF NOT EXISTS combined_probe (n int, label text, at timestamptz, tags text[], doc jsonb)');
      await client.query('TRUNCATE combined_probe');
      await runStatements(client, statements);
      const combined = (await client.query('SELECT * FROM combined_probe ORDER BY n')).rows;
      await client.query('TRUNCATE combined_probe');
      for (const statement of statements) await client.query(statement.text, statement.values);
      expect(combined).toEqual((await client.query('SELECT * FROM combined_probe ORDER BY n')).rows);
      expect(combined).toHaveLength(statements.length);
    } finally {
      client.release();
    }
  }

  test('a combined INSERT leaves the same rows as the INSERTs one by one', async () => {
    const statements = probeRows(60);
    expect(combineStatements(statements)).toEqual([expect.stringMatching(/^INSERT INTO combined_probe/)]);
    await sameRowsAsOneByOne(statements);
  });

  test('a long run of the same INSERT goes as one COPY, which leaves the same rows as the INSERTs one by one', async () => {
    const statements = probeRows(2_500);
    expect(combineStatements(statements)).toEqual([
      { copy: 'COPY combined_probe (n, label, at, tags, doc) FROM STDIN', data: expect.any(String) },
    ]);
    await sameRowsAsOneByOne(statements);
  });

  test('a long run keeps its place among the other statements, and a row COPY refuses fails them all', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('CREATE TABLE copy_probe (n int PRIMARY KEY, label text)');
      const rows = (from: number, count: number) =>
        Array.from({ length: count }, (_, index) => ({ text: 'INSERT INTO copy_probe (n, label) VALUES ($1, $2)', values: [from + index, 'copied'] }));
      const statements = [
        { text: 'INSERT INTO copy_probe (n, label) SELECT $1, $2', values: [-1, 'before'] },
        ...rows(0, 150),
        { text: "UPDATE copy_probe SET label = label || ' then updated' WHERE n IN ($1, $2)", values: [-1, 149] },
      ];
      expect(combineStatements(statements).map((item) => (typeof item === 'string' ? item.slice(0, 6) : 'COPY'))).toEqual(['INSERT', 'COPY', 'UPDATE']);
      await client.query('BEGIN');
      await runStatements(client, statements);
      await client.query('COMMIT');
      expect((await client.query("SELECT n, label FROM copy_probe WHERE label <> 'copied' ORDER BY n")).rows).toEqual([
        { n: -1, label: 'before then updated' },
        { n: 149, label: 'copied then updated' },
      ]);
      expect((await client.query('SELECT count(*)::int AS rows FROM copy_probe')).rows).toEqual([{ rows: 151 }]);

      await client.query('BEGIN');
      await expect(runStatements(client, [{ text: 'DELETE FROM copy_probe WHERE n = $1', values: [-1] }, ...rows(1_000, 120), ...rows(0, 1)])).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS rows FROM copy_probe')).rows).toEqual([{ rows: 151 }]);
    } finally {
      client.release();
    }
  });
});
