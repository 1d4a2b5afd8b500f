import type pg from 'pg';

export interface ConsequenceRow {
  year: number;
  kind: string;
  label: string;
  detail: string;
  basisYears: number[];
}

/** Reads the grade_consequences read model. */
export class ConsequenceQueries {
  constructor(private readonly pool: pg.Pool) {}

  async ofPerson(personId: string): Promise<ConsequenceRow[]> {
    const result = await this.pool.query<{ year: number; kind: string; label: string; detail: string; basis_years: number[] }>(
      'SELECT year, kind, label, detail, basis_years FROM grade_consequence WHERE person_id = $1 ORDER BY year, kind',
      [personId],
    );
    return result.rows.map((row) => ({ year: row.year, kind: row.kind, label: row.label, detail: row.detail, basisYears: row.basis_years }));
  }
}
