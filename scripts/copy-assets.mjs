// Copies the data files that compiled code reads beside itself; tsc emits only JavaScript.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASSET_FOLDERS = [{ from: 'src/rule-set/presets', to: 'dist/src/rule-set/presets', extension: '.json' }];

for (const { from, to, extension } of ASSET_FOLDERS) {
  const source = path.join(projectRoot, from);
  const target = path.join(projectRoot, to);
  mkdirSync(target, { recursive: true });
  for (const fileName of readdirSync(source).filter((name) => name.endsWith(extension))) {
    copyFileSync(path.join(source, fileName), path.join(target, fileName));
  }
}
