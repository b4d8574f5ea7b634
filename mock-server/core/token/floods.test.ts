/**
 * Parameter floods through the whole org (MockOrg.handle, in-process): a form of half a million
 * parameters just under the 1 MiB body limit, empty (`&&&&`), named (`a&a&`) or valued (`a=&a=&`),
 * costs the reading of 1,000 of them (the maxFormParameters knob) and leaves a trace of a few
 * kilobytes that says the rest were ignored. The work is asserted by counting what was read, never by
 * timing. Parameters past the limit are not read at all, so a grant_type sent after them is missing.
 */
import { describe, expect, it } from 'vitest';
import { formBody, goodClaims, JWT_GRANT, signAssertion, testOrg, testWorld, tokenRequest } from '../../testing/fixtures.ts';
import { realHostUrls } from '../../world/hosts.ts';
import { TOKEN_PATH } from '../checks/transport.ts';
import type { ServeContext } from '../mock-org.ts';
import type { Trace } from '../trace.ts';

const SC: ServeContext = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };
const URL_ = `https://login.salesforce.com${TOKEN_PATH}`;
const KIB = 1_024;
const UNSUPPORTED = '{"error":"unsupported_grant_type","error_description":"grant type not supported"}';
const good = () => formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(testWorld()) }) });

async function send(body: string, options: Parameters<typeof testOrg>[0] = {}, url = URL_): Promise<{ status: number; text: string; trace: Trace }> {
  const { org } = testOrg(options);
  const res = await org.handle(tokenRequest(url, body), SC);
  const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
  if (trace === undefined) throw new Error('no trace');
  return { status: res.status, text: await res.text(), trace };
}

const floods = [
  ['a&a&… (500,000 named parameters)', 'a&'.repeat(500_000)],
  ['a=&a=&… (349,000 empty values)', 'a=&'.repeat(349_000)],
  ['=&=&… (500,000 empty names)', '=&'.repeat(500_000)],
] as const;

describe('a flood of parameters', () => {
  it.each(floods)('%s: 1,000 are read, the trace says so and stays small', async (_name, body) => {
    expect(body.length).toBeLessThanOrEqual(1_048_576);
    const { status, text, trace } = await send(body);
    expect([status, text]).toEqual([400, UNSUPPORTED]);
    expect(trace.decidedBy).toBe('grant-type');
    expect(trace.request.formLimit).toEqual({ read: 1_000, note: 'the form held more than 1000 parameters: the rest were ignored (the maxFormParameters knob)' });
    // Was 2.4-3.5 MB: the grant-type check listed every parameter.
    expect(JSON.stringify(trace).length).toBeLessThan(64 * KIB);
    const actual = trace.checks.find((c) => c.check === 'grant-type')?.actual ?? '';
    // 1,000 names are listed (cut at 1,024 characters, and marked so), not half a million.
    expect(actual.length).toBeLessThan(2 * KIB);
    expect(actual).toMatch(/… \[truncated: \d+ characters\]$/);
  });

  it('a million `&` hold no parameter: nothing is read, and the trace is that of an empty form', async () => {
    const { status, trace } = await send('&'.repeat(1_000_000));
    expect(status).toBe(400);
    expect(trace.request.formLimit).toBeUndefined();
    expect(trace.checks.find((c) => c.check === 'grant-type')?.actual).toBe('no grant_type parameter (parameters: none)');
    expect(JSON.stringify(trace).length).toBeLessThan(8 * KIB);
  });

  it('grant_type and assertion before the flood are read, and the grant succeeds', async () => {
    const { status, trace } = await send(`${good()}&${'a&'.repeat(400_000)}`);
    expect(status).toBe(200);
    expect(trace.outcome).toBe('success');
    expect(trace.request.formLimit?.read).toBe(1_000);
  });

  it('grant_type and assertion after 1,000 other parameters are ignored: unsupported_grant_type', async () => {
    const { status, text, trace } = await send(`${'a&'.repeat(1_000)}${good()}`);
    expect([status, text]).toEqual([400, UNSUPPORTED]);
    expect(trace.request.formLimit?.read).toBe(1_000);
  });

  it('1,000 parameters exactly are all read: no limit is reported', async () => {
    const { status, trace } = await send(`${good()}${'&a'.repeat(998)}`);
    expect(status).toBe(200);
    expect(trace.request.formLimit).toBeUndefined();
  });

  it('the query string counts first: a flood there leaves the body unread', async () => {
    const { status, trace } = await send(good(), {}, `${URL_}?${'q&'.repeat(1_000)}`);
    expect(status).toBe(400);
    expect(trace.decidedBy).toBe('grant-type');
    expect(trace.request.formLimit?.read).toBe(1_000);
  });

  it.each([
    [2, 200],
    [1, 400],
  ])('maxFormParameters %i: grant_type and assertion are %i', async (max, status) => {
    const res = await send(`${good()}&format=json`, { knobs: { maxFormParameters: max } });
    expect(res.status).toBe(status);
    expect(res.trace.request.formLimit?.read).toBe(max);
  });
});
