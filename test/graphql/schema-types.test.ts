import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('TypeScript types generated from schema/*.graphql', () => {
  it('are up to date (regenerate with npm run generate:types)', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'schema-types-'));
    try {
      const fresh = path.join(directory, 'schema.types.ts');
      execFileSync(process.execPath, [path.join(projectRoot, 'scripts/generate-graphql-types.mjs'), fresh], { cwd: projectRoot, stdio: 'pipe' });
      const committed = readFileSync(path.join(projectRoot, 'src/graphql/schema.types.ts'), 'utf8');
      expect(readFileSync(fresh, 'utf8')).toBe(committed);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
