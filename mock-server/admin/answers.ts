/**
 * How the admin API answers: pretty-printed JSON that is never cached, a problem as `{error, fix?}`,
 * and a Setup refusal as a problem whose status follows from its code (input of the wrong shape or a
 * PEM that is not a certificate: 400; a name the world does not hold: 404). Request bodies are read
 * in protection.ts, where their limit is.
 */
import type { SetupErrorCode, SetupResult } from '../setup/result.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: unknown): Response {
  let text: string;
  try {
    text = JSON.stringify(body, null, 2);
  } catch (error) {
    // A bug guard: traces are bounded in depth, but the admin API must answer whatever it holds.
    return new Response(JSON.stringify({ error: `cannot render the answer: ${String(error)}` }), { status: 500, headers: { 'Content-Type': JSON_TYPE } });
  }
  return new Response(text, { status, headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' } });
}

export const problem = (status: number, message: string, fix?: string): Response => json(status, fix === undefined ? { error: message } : { error: message, fix });

const STATUS: Record<SetupErrorCode, number> = {
  'invalid-input': 400,
  'bad-certificate': 400,
  'no-user': 404,
  'no-app': 404,
  'no-org': 404,
  'no-certificate': 404,
};

/** A Setup function's result as an answer: 200 with `body(value)`, or the refusal as a problem. */
export function answer<T>(result: SetupResult<T>, body: (value: T) => unknown): Response {
  return result.ok ? json(200, body(result.value)) : problem(STATUS[result.code], result.message, result.fix);
}
