/**
 * The labs over the admin API, in-process: what each route answers (exact status and body where it
 * is a refusal), that state changes need the admin token like every admin change, and that the
 * answers show a lab's story and symptom but neither its hints before they are asked for nor what
 * it teaches before it is solved.
 */
import { describe, expect, it } from 'vitest';
import { setAdminToken } from '../admin/protection.ts';
import type { MockOrg } from '../core/mock-org.ts';
import { testKeys, testOrg } from '../testing/fixtures.ts';
import { findLab } from './catalogue.ts';
import { attachLabs } from './runtime.ts';

const TOKEN = 'lab-admin-token-of-this-test';
const sc = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } };

async function call(org: MockOrg, method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  const init: RequestInit = { method, headers };
  if (method !== 'GET') init.body = JSON.stringify(body ?? {});
  const res = await org.handle(new Request(`https://login.salesforce.com/__sfjwt${path}`, init), sc);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function labOrg(): MockOrg {
  const { org } = testOrg();
  setAdminToken(org, TOKEN);
  attachLabs(org, { privateKeyPem: testKeys().privateKeyPem });
  return org;
}

describe('the labs routes', () => {
  it('a mock without labs answers 404 with what to do', async () => {
    const { org } = testOrg();
    expect(await call(org, 'GET', '/labs')).toEqual({
      status: 404,
      body: { error: 'this mock runs no labs: labs run on the training ground', fix: 'Serve the default world (npx sfjwt serve, without --world); npx sfjwt lab start 1 starts one for you.' },
    });
  });

  it.each<[string, string, unknown, number, Record<string, unknown>]>([
    ['start without a lab', '/labs/start', {}, 400, { error: 'lab is missing', fix: 'Send {"lab": 1} (a number) or {"lab": "iss-capitalised"} (an id).' }],
    ['start of no lab', '/labs/start', { lab: 'nope' }, 404, { error: 'no lab "nope"', fix: 'Give a number from 1 to 13 or a lab id (npx sfjwt lab list).' }],
    ['a check before any start', '/labs/check', {}, 409, { error: 'no lab is started', fix: "Start one first: npx sfjwt lab start 1 (or the console's Labs page)." }],
    ['a hint before any start', '/labs/hint', {}, 409, { error: 'no lab is started', fix: "Start one first: npx sfjwt lab start 1 (or the console's Labs page)." }],
    ['a draft that is no request', '/labs/send', { draft: { url: 'ftp://x' } }, 400, { error: expect.stringMatching(/^the draft is not a request: url: /), fix: expect.any(String) }],
    ['an unknown route', '/labs/solve', {}, 404, { error: 'no labs endpoint POST /labs/solve', fix: expect.stringMatching(/^Endpoints: GET \/labs, /) }],
  ])('%s (%s)', async (_what, path, body, status, answer) => {
    expect(await call(labOrg(), 'POST', path, body)).toEqual({ status, body: answer });
  });

  it('a state change without the admin token is refused and starts nothing', async () => {
    const org = labOrg();
    expect((await call(org, 'POST', '/labs/start', { lab: 1 }, null)).status).toBe(401);
    expect((await call(org, 'GET', '/labs')).body).toMatchObject({ current: null });
  });

  it('start, send, hint, check: the lab in hand, its starter on this mock, and no hint or lesson until earned', async () => {
    const org = labOrg();
    const lab = findLab('iss-capitalised');
    const started = await call(org, 'POST', '/labs/start', { lab: 3 });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ lab: { number: 3, id: 'iss-capitalised', symptom: lab?.symptom, hints: 3 }, hintsShown: [], solved: null });
    expect(JSON.stringify(started.body)).not.toContain(lab?.hints[0] ?? '?');
    expect(started.body).not.toHaveProperty('teaches');
    const starter = started.body['starter'] as { url: string; jwt: { claims: Record<string, unknown> } };
    expect(starter.url).toBe('https://login.salesforce.com/services/oauth2/token');
    expect(Object.keys(starter.jwt.claims)).toEqual(['Iss', 'sub', 'aud', 'exp']);
    expect(await call(org, 'POST', '/labs/send', { draft: starter })).toMatchObject({ status: 200, body: { status: 400, body: lab?.symptom.body } });
    expect(await call(org, 'POST', '/labs/hint')).toEqual({ status: 200, body: { lab: 'iss-capitalised', hint: lab?.hints[0], shown: 1, of: 3 } });
    const { Iss, ...rest } = starter.jwt.claims;
    expect((await call(org, 'POST', '/labs/send', { draft: { ...starter, jwt: { ...starter.jwt, claims: { iss: Iss, ...rest } } } })).body).toMatchObject({ status: 200 });
    expect(await call(org, 'POST', '/labs/check')).toMatchObject({ status: 200, body: { solved: true, attempts: 2 } });
    expect((await call(org, 'GET', '/labs/current')).body).toMatchObject({ teaches: lab?.teaches, hintsShown: [lab?.hints[0]] });
    expect((await call(org, 'GET', '/labs')).body).toMatchObject({
      current: 'iss-capitalised',
      labs: expect.arrayContaining([{ number: 3, id: 'iss-capitalised', title: lab?.title, state: 'solved', hintsShown: 1 }]),
    });
  });
});
