import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findViolations, isPurePath } from './purity-rules.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function typescriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return typescriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const pureFiles = [...typescriptFiles(path.join(projectRoot, 'src')), ...typescriptFiles(path.join(projectRoot, 'projections'))].filter(
  (file) => isPurePath(projectRoot, file),
);

describe('pure code (src/**/domain, projections, src/shared)', () => {
  it('covers the projections and shared helpers', () => {
    const relative = pureFiles.map((file) => path.relative(projectRoot, file));
    expect(relative).toEqual(expect.arrayContaining(['projections/audit-trail.projection.ts', 'src/shared/business-date.ts']));
  });

  it('imports no framework, database or event-store client and never reads the clock or randomness', () => {
    const violations = pureFiles.flatMap((file) => findViolations(projectRoot, file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });
});

describe('the purity rules themselves', () => {
  const file = path.join(projectRoot, 'src/appraisal/domain/example.ts');
  const rulesOf = (source: string) => findViolations(projectRoot, file, source).map((violation) => violation.rule);

  it.each([
    ["import { Injectable } from '@nestjs/common';", 'imports @nestjs/common'],
    ["import pg from 'pg';", 'imports pg'],
    ["import { KurrentDBClient } from '@kurrent/kurrentdb-client';", 'imports @kurrent/kurrentdb-client'],
    ["import { readFileSync } from 'node:fs';", 'imports node:fs'],
    ["import { openInfrastructure } from '../../infrastructure.js';", 'imports impure module ../../infrastructure.js'],
    ['const t = Date.now();', 'reads the clock: Date.now()'],
    ['const d = new Date();', 'reads the clock: new Date() without arguments'],
    ['const t = performance.now();', 'reads the clock: performance.now()'],
    ['const x = Math.random();', 'uses randomness: Math.random()'],
    ["import { randomUUID } from 'node:crypto'; const id = randomUUID();", 'uses randomness: randomUUID()'],
  ])('rejects %s', (source, rule) => {
    expect(rulesOf(source)).toContain(rule);
  });

  it('allows type-only imports, parsing a given date, and pure relative imports', () => {
    const source = [
      "import type pg from 'pg';",
      "import type { Infrastructure } from '../../infrastructure.js';",
      "import { shanghaiDate } from '../../shared/business-date.js';",
      "import { other } from './other.js';",
      "const d = new Date('2025-01-01T00:00:00Z');",
    ].join('\n');
    expect(rulesOf(source)).toEqual([]);
  });
});
