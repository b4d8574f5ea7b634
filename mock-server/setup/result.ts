/**
 * What a Setup function answers: done, with a value, or refused, with a stable code, a message that
 * says what is wrong and, where there is one, the fix. A caller's mistake (a name the world does not
 * hold, input of the wrong shape, a PEM that is not a certificate) is a refusal, never a throw, so the
 * admin API can answer it as JSON and the runner can say which part of a scenario it could not apply.
 * `defineSetup` makes a Setup function from its input schema: the input is validated here, once, for
 * every caller (the admin routes, the runner, code that holds a MockOrg).
 */
import type { z } from 'zod';
import { expectedWords } from '../../lib/zod-message.ts';

export type SetupErrorCode = 'invalid-input' | 'no-user' | 'no-app' | 'no-org' | 'no-certificate' | 'bad-certificate';

export interface SetupError {
  readonly ok: false;
  readonly code: SetupErrorCode;
  readonly message: string;
  readonly fix?: string;
}

export interface SetupDone<T> {
  readonly ok: true;
  readonly value: T;
}

/** Nothing to tell beyond "done". */
export type Nothing = Record<string, never>;

export type SetupResult<T = Nothing> = SetupDone<T> | SetupError;

export const done = <T>(value: T): SetupDone<T> => ({ ok: true, value });

export function refuse(code: SetupErrorCode, message: string, fix?: string): SetupError {
  return fix === undefined ? { ok: false, code, message } : { ok: false, code, message, fix };
}

/** One line naming each field that is wrong, as `field: what belongs there` (`(body)` for the whole input). */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${expectedWords(i)}`).join('; ');
}

/**
 * A Setup function that takes any input (JSON from the admin API, or a typed value from code) and
 * applies `apply` to it only once `schema` accepts it. Callers with typed input use the exported,
 * typed alias of the same function.
 */
export function defineSetup<S extends z.ZodType, O, T>(schema: S, apply: (org: O, input: z.output<S>) => SetupResult<T>): (org: O, input: unknown) => SetupResult<T> {
  return (org, input) => {
    const parsed = schema.safeParse(input);
    return parsed.success ? apply(org, parsed.data) : refuse('invalid-input', describeIssues(parsed.error));
  };
}
