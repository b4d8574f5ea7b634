/**
 * boundTrace: a trace within the limits comes back as the same object (a usual grant's trace is
 * stored byte for byte as it was made); a larger one is cut where it is large, each cut marked and
 * counted in `truncated`, with the structure of the trace (every step, every field) kept. Keys that
 * a cut makes equal are numbered, not lost; a `__proto__` claim stays a claim. The size it reports
 * is the JSON's, near enough to budget a journal by.
 */
import { describe, expect, it } from 'vitest';
import { formBody, goodClaims, JWT_GRANT, signAssertion, testOrg, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { realHostUrls } from '../world/hosts.ts';
import { TOKEN_PATH } from './checks/transport.ts';
import type { ServeContext } from './mock-org.ts';
import { NO_SECRETS } from './redactor.ts';
import type { Trace, TraceStep } from './trace.ts';
import { boundTrace, TRACE_LIMITS } from './trace-limits.ts';

const SC: ServeContext = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };

/** The trace a usual grant leaves (as made: the journal stores it unchanged). */
async function usualTrace(): Promise<Trace> {
  const { org } = testOrg();
  const body = formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(testWorld()) }) });
  const res = await org.handle(tokenRequest(`https://login.salesforce.com${TOKEN_PATH}`, body), SC);
  const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
  if (trace === undefined) throw new Error('no trace');
  return structuredClone(trace);
}

const withPayload = (trace: Trace, payload: Record<string, unknown>): Trace => ({
  ...trace,
  request: { ...trace.request, assertion: { header: { alg: 'RS256' }, payload, signature: '[redacted 256 bytes]' } },
});

describe('boundTrace', () => {
  it('a usual trace is the same object, and its size is about its JSON length', async () => {
    const trace = await usualTrace();
    const kept = boundTrace(trace, NO_SECRETS);
    expect(kept.trace).toBe(trace);
    const json = JSON.stringify(trace).length;
    expect(Math.abs(kept.chars - json) / json).toBeLessThan(0.05);
  });

  it('a long check text is cut at 1,024 characters and marked; the rest stays', async () => {
    const trace = await usualTrace();
    const steps = trace.checks.map((s, i): TraceStep => (i === 3 ? { ...s, actual: 'a'.repeat(5_000) } : s));
    const kept = boundTrace({ ...trace, checks: steps }, NO_SECRETS).trace;
    expect(kept.checks[3]?.actual).toBe(`${'a'.repeat(TRACE_LIMITS.string)}… [truncated: 5000 characters]`);
    expect(kept.truncated).toBe(1);
    expect(kept.checks.slice(4)).toEqual(trace.checks.slice(4));
    expect(kept.checks[2]).toBe(trace.checks[2]);
  });

  it("past the trace's budget strings become markers, but every step and field stays", async () => {
    const trace = await usualTrace();
    const steps = trace.checks.map((s): TraceStep => ({ ...s, note: 'n'.repeat(1_000), fix: 'f'.repeat(1_000) }));
    const kept = boundTrace({ ...trace, checks: steps }, NO_SECRETS).trace;
    expect(kept.checks.map((s) => [s.check, s.verdict])).toEqual(trace.checks.map((s) => [s.check, s.verdict]));
    expect(kept.checks.at(-1)?.fix).toBe("[truncated: 1000 characters past the trace's size limit]");
    expect(JSON.stringify(kept).length).toBeLessThan(TRACE_LIMITS.otherChars + 8_192);
  });

  it('two claim names the cut makes equal are both kept, the second numbered', async () => {
    const head = 'k'.repeat(1_500);
    const kept = boundTrace(withPayload(await usualTrace(), { [`${head}a`]: 1, [`${head}b`]: 2 }), NO_SECRETS).trace;
    const name = `${'k'.repeat(TRACE_LIMITS.string)}… [truncated: 1501 characters]`;
    expect(kept.request.assertion?.payload).toEqual({ [name]: 1, [`${name} (2)`]: 2 });
  });

  it('a `__proto__` claim stays an own claim of a plain object', async () => {
    const payload = JSON.parse(`{"__proto__":{"polluted":true},"long":"${'l'.repeat(2_000)}"}`) as Record<string, unknown>;
    const kept = boundTrace(withPayload(await usualTrace(), payload), NO_SECRETS).trace.request.assertion?.payload ?? {};
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.hasOwn(kept, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a cut trace reports the JSON length of what it kept, escapes counted', async () => {
    const kept = boundTrace(withPayload(await usualTrace(), { ctl: '\u0001'.repeat(900), long: 'x'.repeat(3_000) }), NO_SECRETS);
    const json = JSON.stringify(kept.trace).length;
    expect(Math.abs(kept.chars - json) / json).toBeLessThan(0.05);
  });
});
