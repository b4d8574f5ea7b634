/**
 * The journal is bounded in bytes, not only in entries: 250 requests just under the 1 MiB body limit,
 * each an assertion with one claim of 780,000 characters (the signature need not verify), leave
 * traces of a few kilobytes that say what was cut, and the journal route still answers 200 with JSON
 * for limit=1000, in pages of bounded size. Claims by the ten thousand and claims nested hundreds
 * of levels deep are cut the same way. Sizes are JSON.stringify lengths, never memory or time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { goodClaims, JWT_GRANT, testOrg, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { realHostUrls } from '../world/hosts.ts';
import { TOKEN_PATH } from './checks/transport.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import type { Trace } from './trace.ts';

const SC: ServeContext = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };
const KIB = 1_024;
const MIB = 1_048_576;
const FLOOD = 250;
const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** A token request whose assertion carries `payload` under an RS256 header and a signature that does not verify. */
const bodyWith = (payload: string) => `grant_type=${encodeURIComponent(JWT_GRANT)}&assertion=${b64('{"alg":"RS256"}')}.${b64(payload)}.${b64('not a signature')}`;
const huge = (extra: Record<string, unknown>) => bodyWith(JSON.stringify({ ...goodClaims(testWorld()), ...extra }));

async function post(org: MockOrg, body: string): Promise<Trace> {
  const res = await org.handle(tokenRequest(`https://login.salesforce.com${TOKEN_PATH}`, body), SC);
  expect(res.status).toBe(400);
  const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
  if (trace === undefined) throw new Error('no trace');
  return trace;
}

const admin = async (org: MockOrg, path: string) => {
  const res = await org.handle(new Request(`https://login.salesforce.com/__sfjwt${path}`), SC);
  return { status: res.status, text: await res.text() };
};

describe('a flood of 1 MiB assertions', () => {
  const { org } = testOrg();
  const body = huge({ big: 'x'.repeat(780_000) });

  beforeAll(async () => {
    expect(body.length).toBeGreaterThan(MIB - 16 * KIB);
    expect(body.length).toBeLessThanOrEqual(MIB);
    for (let i = 0; i < FLOOD; i += 1) await post(org, body);
  });

  it('each trace keeps the head of the claim, says it was cut and takes a few kilobytes (was 780 KB)', () => {
    const traces = org.journal.list();
    expect(traces).toHaveLength(FLOOD);
    for (const trace of traces) expect(JSON.stringify(trace).length).toBeLessThan(16 * KIB);
    const [first] = traces;
    const big = first?.request.assertion?.payload['big'];
    expect(big).toBe(`${'x'.repeat(1_024)}… [truncated: 780000 characters]`);
    expect(first?.truncated).toBe(1);
    // The rest of the trace is as it would be: the signature check decided.
    expect(first?.decidedBy).toBe('signature');
    expect(first?.request.assertion?.payload['sub']).toBe('integration@acme.com');
  });

  it('the whole journal takes a few megabytes (was ~200 MB)', () => {
    expect(JSON.stringify(org.journal.list()).length).toBeLessThan(FLOOD * 16 * KIB);
    expect(org.journal.heldChars).toBeLessThan(FLOOD * 16 * KIB);
  });

  it('GET /journal?limit=1000 answers 200 with JSON of bounded size, newest first', async () => {
    const { status, text } = await admin(org, '/journal?limit=1000');
    expect(status).toBe(200);
    expect(text.length).toBeLessThan(8 * MIB);
    const page = JSON.parse(text) as { total: number; kept: number; entries: Trace[]; next?: number };
    expect([page.total, page.kept, page.entries.length, page.next]).toEqual([FLOOD, FLOOD, FLOOD, undefined]);
    expect(page.entries.map((e) => e.id)).toEqual(org.journal.list().map((t) => t.id));
  });

  it('pages of 100 read the whole journal through `next`, each trace once, in order', async () => {
    const ids: string[] = [];
    let before: number | undefined;
    const sizes: number[] = [];
    do {
      const { status, text } = await admin(org, `/journal?limit=100${before === undefined ? '' : `&before=${before}`}`);
      expect(status).toBe(200);
      const page = JSON.parse(text) as { entries: Trace[]; next?: number };
      sizes.push(page.entries.length);
      ids.push(...page.entries.map((e) => e.id));
      before = page.next;
    } while (before !== undefined);
    expect(sizes).toEqual([100, 100, 50]);
    expect(ids).toEqual(org.journal.list().map((t) => t.id));
  });

  it.each(['0', '-1', '1.5', 'x', '1e400'])('before=%s is a 400 that says what it takes', async (before) => {
    const { status, text } = await admin(org, `/journal?before=${before}`);
    expect(status).toBe(400);
    expect(JSON.parse(text)).toEqual({ error: 'before must be a whole number from 1 up', fix: 'Pass the "next" of the page before, or leave before out for the newest traces.' });
  });
});

describe('assertions shaped to make traces large', () => {
  const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  const claims = goodClaims(testWorld());
  const base = JSON.stringify(claims).slice(0, -1);

  it.each([
    ['60,000 claims', bodyWith(`${base},${Array.from({ length: 60_000 }, (_, i) => `"k${i}":0`).join(',')}}`), /\[truncated: 59904 more entries\]/],
    ['a claim nested 900 levels deep', bodyWith(`${base},"deep":${deep(900)}}`), /\[truncated: an object nested deeper than 8 levels\]/],
    ['an array of 200,000 numbers', huge({ list: Array.from({ length: 200_000 }, () => 1) }), /\[truncated: 199900 more items\]/],
    ['50 claims of 10,000 characters', huge(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'y'.repeat(10_000)]))), /"…":"\[truncated: \d+ more entries\]"/],
    ['a claim name of 500,000 characters', huge({ ['n'.repeat(500_000)]: 1 }), /n… \[truncated: 500000 characters\]":1/],
  ])('%s: the trace stays under 32 KiB and marks what it dropped', async (_name, body, marker) => {
    expect(body.length).toBeLessThanOrEqual(MIB);
    const { org } = testOrg();
    const trace = await post(org, body);
    const json = JSON.stringify(trace);
    expect(json.length).toBeLessThan(32 * KIB);
    expect(json).toMatch(marker);
    expect(trace.truncated).toBeGreaterThan(0);
    expect(trace.request.assertion?.payload['iss']).toBe(claims['iss']);
  });
});
