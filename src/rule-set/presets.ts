import { readFileSync, readdirSync } from 'node:fs';
import type { RuleSetDocument } from './domain/rule-set.js';
import { validateRuleSet, type RuleSetProblem } from './domain/validate-rule-set.js';

/** Beside this module in src/ and, copied by scripts/copy-assets.mjs, in dist/. */
const PRESETS_DIRECTORY = new URL('./presets/', import.meta.url);

const GRADE_SCALES_FILE = 'grade-scales.json';
const SCORING_SCHEMES_FILE = 'scoring-schemes.json';

/**
 * The preset grade scales and scoring schemes (DOMAIN.md §3, §5.1). A preset rule-set file names
 * them by id instead of repeating them, so a scheme is written once however many rule sets use it.
 */
export interface PresetLibrary {
  gradeScales: unknown[];
  scoringSchemes: unknown[];
}

export function loadPresetLibrary(directory: URL = PRESETS_DIRECTORY): PresetLibrary {
  return {
    gradeScales: readJsonList(directory, GRADE_SCALES_FILE),
    scoringSchemes: readJsonList(directory, SCORING_SCHEMES_FILE),
  };
}

/**
 * Every preset rule set (each JSON file of the directory besides the library), complete and
 * validated. Throws listing every problem of every file when any is invalid.
 */
export function loadPresetRuleSets(directory: URL = PRESETS_DIRECTORY): RuleSetDocument[] {
  const library = loadPresetLibrary(directory);
  const ruleSets: RuleSetDocument[] = [];
  const failures: string[] = [];
  for (const fileName of ruleSetFileNames(directory)) {
    const result = loadRuleSet(readJson(directory, fileName), library);
    if (result.ok) ruleSets.push(result.ruleSet);
    else failures.push(...result.errors.map((problem) => `${fileName}: ${problem.path}: ${problem.message}`));
  }
  if (failures.length > 0) throw new Error(`invalid preset rule sets:\n${failures.join('\n')}`);
  return ruleSets;
}

function ruleSetFileNames(directory: URL): string[] {
  return readdirSync(directory)
    .filter((fileName) => fileName.endsWith('.json') && fileName !== GRADE_SCALES_FILE && fileName !== SCORING_SCHEMES_FILE)
    .sort();
}

function readJson(directory: URL, fileName: string): unknown {
  const text = readFileSync(new URL(fileName, directory), 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} is not valid JSON: ${(error as Error).message}`);
  }
}

function readJsonList(directory: URL, fileName: string): unknown[] {
  const content = readJson(directory, fileName);
  if (!Array.isArray(content)) throw new Error(`${fileName} must hold a JSON list`);
  return content;
}

type LoadResult = { ok: true; ruleSet: RuleSetDocument } | { ok: false; errors: RuleSetProblem[] };

/** Unknown preset ids are reported alone: validating around them would only add noise. */
function loadRuleSet(file: unknown, library: PresetLibrary): LoadResult {
  if (!isPlainObject(file)) return validateRuleSet(file);
  const problems: RuleSetProblem[] = [];
  const document = {
    ...file,
    gradeScales: resolvePresets(file, 'gradeScales', library, problems),
    scoringSchemes: resolvePresets(file, 'scoringSchemes', library, problems),
  };
  return problems.length > 0 ? { ok: false, errors: problems } : validateRuleSet(document);
}

/** Replaces each id in the file's list with the library entry of that id; other entries stay. */
function resolvePresets(file: Record<string, unknown>, field: keyof PresetLibrary, library: PresetLibrary, problems: RuleSetProblem[]): unknown {
  const entries = file[field];
  if (!Array.isArray(entries)) return entries;
  return entries.map((entry, index) => {
    if (typeof entry !== 'string') return entry;
    const preset = library[field].find((candidate) => idOf(candidate) === entry);
    if (preset === undefined) {
      const known = library[field].map(idOf).join(', ');
      problems.push({ path: `${field}[${index}]`, message: `no preset ${JSON.stringify(entry)}; presets: ${known}` });
    }
    return preset;
  });
}

function idOf(entry: unknown): unknown {
  return isPlainObject(entry) ? entry.id : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
