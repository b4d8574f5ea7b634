/**
 * The JSON line `serve --json` prints (and `--ready-file` holds), read from a file and checked
 * against the part of it a caller needs: `sign --from-serve`, `token`, `doctor`, `sign --scenario`
 * and `postman` read it this one way, bounded, a BOM and surrounding space allowed, and a line
 * that is not JSON or lacks a field is a usage error that names the field.
 */
import type { z } from 'zod';
import { UsageError } from './errors.ts';
import { INPUT_LIMITS, readInputText } from './read-input-file.ts';
import { describeIssues } from './zod-message.ts';

export function readServeLine<S extends z.ZodType>(path: string, schema: S, actions: readonly string[]): z.output<S> {
  const text = readInputText(path, { what: 'serve line file', maxBytes: INPUT_LIMITS.config, actions });
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '').trim());
  } catch (cause) {
    throw new UsageError(`${path} is not the JSON line of npx sfjwt serve --json: ${(cause as Error).message.replace(/\s+/g, ' ')}`, { actions, cause });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error, json, '(the line)');
  const [only] = issues;
  if (issues.length === 1 && only !== undefined) throw new UsageError(`${path}: ${only.path}: ${only.message}`, { actions });
  throw new UsageError(`${path}: ${issues.length} problems:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, { actions });
}
