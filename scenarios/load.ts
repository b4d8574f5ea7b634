/**
 * Loads scenario files: the built-in catalogue (scenarios/catalogue/*.json) or a user's folder. Each
 * file is validated; a broken one is refused with the file, the field and what is expected, and ids
 * must be unique across everything loaded.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorldError } from '../lib/errors.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../lib/json-depth.ts';
import { INPUT_LIMITS, readInputText } from '../lib/read-input-file.ts';
import { describeIssues, issuePath } from '../lib/zod-message.ts';
import { type Scenario, ScenarioSchema } from './schema.ts';

/**
 * The catalogue's files exist once, in the package's scenarios/catalogue/, and are read there both by
 * the sources (scenarios/load.ts) and by the build (dist/scenarios/load.js, one level deeper): a copy
 * in dist/ would keep scenarios that were renamed or removed since.
 */
export const CATALOGUE_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './catalogue/' : '../../scenarios/catalogue/', import.meta.url));

export class ScenarioFileError extends WorldError {
  override readonly code = 'ERR_SCENARIO';
}

export function parseScenario(json: unknown, source: string): Scenario {
  // A claim value may be any JSON: one nested past the limit would overflow the stack when sent.
  const deep = tooDeepAt(json);
  if (deep !== undefined) {
    const issue = { path: issuePath(deep.slice(0, 12)) + (deep.length > 12 ? '…' : ''), message: `nested more than ${MAX_JSON_DEPTH} levels deep` };
    throw new ScenarioFileError(`${source} is not a valid scenario:\n  ${issue.path}: ${issue.message}`, [issue], { actions: ['Keep values shallow: no claim Salesforce reads is nested at all.'] });
  }
  const parsed = ScenarioSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error, json, '(the scenario)');
  throw new ScenarioFileError(`${source} is not a valid scenario:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, issues, {
    actions: ['Fix the fields named above; scenarios/catalogue/ has examples of every kind of mistake.'],
  });
}

export function loadScenarios(dir: string = CATALOGUE_DIR): Scenario[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const seen = new Map<string, string>();
  return files.map((file) => {
    const path = join(dir, file);
    // Regular files of at most 1 MiB only: a FIFO or a device among the .json files would hang or grow.
    const text = readInputText(path, { what: 'scenario file', maxBytes: INPUT_LIMITS.scenario });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new ScenarioFileError(`${path} is not valid JSON: ${(cause as Error).message}`, [{ path: '(the file)', message: 'not valid JSON' }], { cause });
    }
    const scenario = parseScenario(json, path);
    const first = seen.get(scenario.id);
    if (first !== undefined)
      throw new ScenarioFileError(`${path}: the id "${scenario.id}" is already used by ${first}`, [{ path: 'id', message: 'duplicate id' }], {
        actions: ['Give each scenario its own id; ids never change once published.'],
      });
    seen.set(scenario.id, path);
    return scenario;
  });
}

let cached: Scenario[] | undefined;

/** The built-in catalogue, loaded once. */
export function catalogue(): Scenario[] {
  cached ??= loadScenarios();
  return cached;
}
