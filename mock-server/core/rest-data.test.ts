/**
 * The data routes through MockOrg.answer (in-process) and one over HTTPS on 127.0.0.1:0: query and
 * queryAll pages with nextRecordsUrl (batch size from Sforce-Query-Options, within 200..2,000),
 * queryMore, INVALID_QUERY_LOCATOR for an unknown, foreign or idle cursor, the sObject list,
 * basic information, describe and a record. A property test pages N fixture records (N up to 5,000,
 * batchSize 200..2,000) and gets each exactly once, in order. Time is a manual clock.
 */
import { request as httpsRequest } from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { soqlWorld, withAccounts } from '../testing/soql-world.ts';
import { realHostUrls } from '../world/hosts.ts';
import { makeId } from '../world/salesforce-id.ts';
import { manualClock } from './clock.ts';
import type { IncomingRequest } from './incoming.ts';
import { MockOrg, type ServeContext } from './mock-org.ts';
import type { WireResponse } from './responses.ts';
import { batchSize, handleDataRoute } from './rest-data.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ANA = '0055g00000AaAaAAAV';
const BO = '0055g00000BbBbBAAV';
const HOST = 'acme.my.salesforce.com';
const TOKEN = '00D5g000000AbCd!ana-token';
const BO_TOKEN = '00D5g000000AbCd!bo-token';
const sc: ServeContext = { host: HOST, secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };

function mockWith(world = soqlWorld()) {
  const clock = manualClock(NOW);
  const mock = new MockOrg({ world, clock, seed: 7, knobs: { traceHeader: false } });
  const session = (userId: string) => ({ userId, orgId: '00D5g000000AbCdEAK', app: 'Integration', issuedAt: NOW, expiresAt: NOW + 86_400_000 });
  mock.sessions.add(TOKEN, session(ANA));
  mock.sessions.add(BO_TOKEN, session(BO));
  return { mock, clock };
}

function incoming(path: string, headers: Record<string, string> = {}, method = 'GET', token = TOKEN): IncomingRequest {
  const all: Record<string, string> = { authorization: `Bearer ${token}`, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) };
  return { method, url: new URL(`https://${HOST}${path}`), header: (n) => all[n.toLowerCase()] ?? null, readBody: async () => '' };
}

async function get(mock: MockOrg, path: string, headers: Record<string, string> = {}, method = 'GET', token = TOKEN): Promise<WireResponse> {
  const answer = await mock.answer(incoming(path, headers, method, token), sc);
  if (answer === 'dropped' || answer instanceof Response) throw new Error('expected a wire answer');
  return answer;
}

const q = (soql: string) => `/services/data/v68.0/query?q=${encodeURIComponent(soql)}`;
const header = (res: WireResponse, name: string) => res.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('query over REST', () => {
  it('answers a query with Salesforce’s shape and JSON headers', async () => {
    const { mock } = mockWith();
    const res = await get(mock, q("SELECT Id, Profile.Name FROM User WHERE Username = 'ana@acme.com'"));
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('application/json;charset=UTF-8');
    expect(res.body).toBe(
      `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"User","url":"/services/data/v68.0/sobjects/User/${ANA}"},"Id":"${ANA}","Profile":{"attributes":{"type":"Profile","url":"/services/data/v68.0/sobjects/Profile/00e5g000000RXjkAAG"},"Name":"System Administrator"}}]}`,
    );
  });

  it('answers queryAll as query, and COUNT() with no records', async () => {
    const { mock } = mockWith();
    const res = await get(mock, `/services/data/v68.0/queryAll?q=${encodeURIComponent('SELECT COUNT() FROM Account')}`);
    expect([res.status, res.body]).toEqual([200, '{"totalSize":4,"done":true,"records":[]}']);
  });

  it.each([
    ['no q', '/services/data/v68.0/query', 400, '[{"message":"A query string has to be specified","errorCode":"MALFORMED_QUERY"}]'],
    ['an unknown locator', '/services/data/v68.0/query/01g5g0000000zzzAAA-2000', 400, '[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]'],
    ['a locator of no shape', '/services/data/v68.0/query/nonsense', 400, '[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]'],
    [
      'an unknown object',
      q('SELECT Id FROM Foo'),
      400,
      `[{"message":"\\nSELECT Id FROM Foo\\n               ^\\nERROR at Row:1:Column:16\\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_TYPE"}]`,
    ],
  ])('%s', async (_title, path, status, body) => {
    const { mock } = mockWith();
    const res = await get(mock, path);
    expect([res.status, res.body]).toEqual([status, body]);
  });

  it('refuses POST on query', async () => {
    const { mock } = mockWith();
    const res = await get(mock, q('SELECT Id FROM User'), {}, 'POST');
    expect([res.status, res.body]).toEqual([405, '[{"message":"HTTP Method \'POST\' not allowed. Allowed are GET,HEAD","errorCode":"METHOD_NOT_ALLOWED"}]']);
  });

  it('reads batchSize from Sforce-Query-Options, within 200..2,000', () => {
    expect([batchSize(null), batchSize('batchSize=1000'), batchSize('batchSize=5'), batchSize('batchSize=9000'), batchSize('BATCHSIZE = 250'), batchSize('nonsense')]).toEqual([
      2000, 1000, 200, 2000, 250, 2000,
    ]);
  });

  it('pages 2,500 records: 2,000, then 500 through nextRecordsUrl, then the locator is used up', async () => {
    const { mock } = mockWith(withAccounts(2_500));
    const first = JSON.parse((await get(mock, q('SELECT Id FROM Account'))).body);
    expect([first.totalSize, first.done, first.records.length, first.nextRecordsUrl]).toEqual([2500, false, 2000, '/services/data/v68.0/query/01g5g0000000001AAA-2000']);
    const second = await get(mock, first.nextRecordsUrl);
    const page2 = JSON.parse(second.body);
    expect([page2.totalSize, page2.done, page2.records.length, page2.nextRecordsUrl, page2.records[0].Id]).toEqual([2500, true, 500, undefined, '0015g00000000WHAAY']);
    expect((await get(mock, first.nextRecordsUrl)).body).toBe('[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]');
  });

  it('keeps a cursor to its user, and lets it expire after 15 idle minutes', async () => {
    const { mock, clock } = mockWith(withAccounts(600));
    const first = JSON.parse((await get(mock, q('SELECT Id FROM Account'), { 'Sforce-Query-Options': 'batchSize=200' })).body);
    expect(first.nextRecordsUrl).toBe('/services/data/v68.0/query/01g5g0000000001AAA-200');
    expect((await get(mock, first.nextRecordsUrl, {}, 'GET', BO_TOKEN)).status).toBe(400);
    clock.advance(899_000);
    const second = JSON.parse((await get(mock, first.nextRecordsUrl, { 'Sforce-Query-Options': 'batchSize=200' })).body);
    expect(second.nextRecordsUrl).toBe('/services/data/v68.0/query/01g5g0000000001AAA-400');
    clock.advance(900_000);
    expect((await get(mock, second.nextRecordsUrl)).body).toBe('[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]');
  });

  it('releases a user’s oldest cursor at the eleventh', async () => {
    const { mock } = mockWith(withAccounts(300));
    const urls: string[] = [];
    for (let i = 0; i < 11; i += 1) urls.push(JSON.parse((await get(mock, q('SELECT Id FROM Account'), { 'Sforce-Query-Options': 'batchSize=200' })).body).nextRecordsUrl);
    expect((await get(mock, urls[0] as string)).status).toBe(400);
    expect((await get(mock, urls[1] as string)).status).toBe(200);
  });

  it('pages every record exactly once, in order (property)', () => {
    const world = withAccounts(5_000);
    const { mock } = mockWith(world);
    // The Ids in order, as the records were generated (makeId's base-62 counter sorts as the numbers do).
    const all = Array.from({ length: 5_000 }, (_, i) => makeId('001', '5g', i + 1));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 200, max: 2_000 }), (n, size) => {
        const headers = { 'sforce-query-options': `batchSize=${size}` };
        let res = handleDataRoute(mock, incoming('', headers), ctxFor(mock, q(`SELECT Id, Name FROM Account ORDER BY Id LIMIT ${n}`))) as WireResponse;
        const seen: string[] = [];
        for (;;) {
          const page = JSON.parse(res.body) as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: { Id: string }[] };
          if (page.totalSize !== n) return false;
          if (page.records.length !== Math.min(size, n - seen.length)) return false;
          seen.push(...page.records.map((r) => r.Id));
          if (page.done) break;
          res = handleDataRoute(mock, incoming('', headers), ctxFor(mock, page.nextRecordsUrl as string)) as WireResponse;
        }
        return seen.length === n && seen.every((id, i) => id === all[i]);
      }),
      { numRuns: 40, seed: 14 },
    );
  });
});

function ctxFor(mock: MockOrg, pathAndQuery: string) {
  const url = new URL(`https://${HOST}${pathAndQuery}`);
  const org = mock.index.world.orgs[0] as MockOrg['index']['world']['orgs'][number];
  const user = mock.index.userById(ANA);
  if (user === undefined) throw new Error('no user');
  const session = { userId: ANA, orgId: org.id, app: 'Integration', issuedAt: NOW, expiresAt: NOW + 1 };
  return { version: 68, path: url.pathname.replace('/services/data/v68.0', ''), url, session, user, org, baseUrl: `https://${HOST}` };
}

describe('sObjects', () => {
  it('lists the objects, standard and the world’s', async () => {
    const { mock } = mockWith();
    const body = JSON.parse((await get(mock, '/services/data/v68.0/sobjects/')).body);
    expect([body.encoding, body.maxBatchSize]).toEqual(['UTF-8', 200]);
    expect(body.sobjects.map((o: { name: string }) => o.name)).toEqual([
      'Organization',
      'User',
      'UserLogin',
      'Profile',
      'PermissionSet',
      'PermissionSetAssignment',
      'ConnectedApplication',
      'SetupEntityAccess',
      'OauthToken',
      'LoginHistory',
      'Account',
    ]);
    expect(body.sobjects[10]).toEqual({
      activateable: false,
      createable: false,
      custom: false,
      customSetting: false,
      deletable: false,
      deprecatedAndHidden: false,
      feedEnabled: false,
      keyPrefix: '001',
      label: 'Account',
      labelPlural: 'Accounts',
      layoutable: false,
      mergeable: false,
      mruEnabled: false,
      name: 'Account',
      queryable: true,
      replicateable: false,
      retrieveable: true,
      searchable: false,
      triggerable: false,
      undeletable: false,
      updateable: false,
      urls: { sobject: '/services/data/v68.0/sobjects/Account', describe: '/services/data/v68.0/sobjects/Account/describe', rowTemplate: '/services/data/v68.0/sobjects/Account/{ID}' },
    });
  });

  it('describes an object (any letter case) with its fields', async () => {
    const { mock } = mockWith();
    const body = JSON.parse((await get(mock, '/services/data/v68.0/sobjects/user/describe')).body);
    expect([body.name, body.keyPrefix, body.queryable]).toEqual(['User', '005', true]);
    expect(body.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual([
      'Id:id',
      'Username:string',
      'Email:email',
      'FirstName:string',
      'LastName:string',
      'Name:string',
      'IsActive:boolean',
      'ProfileId:reference',
      'UserType:picklist',
      'LastLoginDate:datetime',
      'CreatedDate:datetime',
    ]);
    expect(body.fields[7]).toMatchObject({ name: 'ProfileId', label: 'Profile ID', referenceTo: ['Profile'], relationshipName: 'Profile', soapType: 'tns:ID' });
  });

  it('gives basic information, a record, and NOT_FOUND for an unknown object or Id', async () => {
    const { mock } = mockWith();
    const basic = JSON.parse((await get(mock, '/services/data/v68.0/sobjects/Account')).body);
    expect([basic.objectDescribe.name, basic.recentItems]).toEqual(['Account', []]);
    const record = await get(mock, '/services/data/v68.0/sobjects/Account/0015g0000000002AAA');
    expect(record.body).toBe(
      '{"attributes":{"type":"Account","url":"/services/data/v68.0/sobjects/Account/0015g0000000002AAA"},"Id":"0015g0000000002AAA","Name":"Globex","AnnualRevenue":120,"IsPartner":false,"Founded":"2010-01-15","LastReview":"2026-02-20T10:00:00.000+0000"}',
    );
    const notFound = '[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]';
    expect([(await get(mock, '/services/data/v68.0/sobjects/Foo/describe')).body, (await get(mock, '/services/data/v68.0/sobjects/Account/0015g0000000009AAA')).body]).toEqual([notFound, notFound]);
  });

  it('is not a data route outside query, queryAll and sobjects', () => {
    const { mock } = mockWith();
    expect(handleDataRoute(mock, incoming(''), ctxFor(mock, '/services/data/v68.0/limits'))).toBeUndefined();
  });
});

describe('over HTTPS', () => {
  let started: StartedMockOrg;
  beforeAll(async () => {
    started = await startMockOrg({ world: withAccounts(2_100), clock: manualClock(NOW), seed: 7, tls: true });
    started.org.sessions.add(TOKEN, { userId: ANA, orgId: '00D5g000000AbCdEAK', app: 'Integration', issuedAt: NOW, expiresAt: NOW + 86_400_000 });
  });
  afterAll(async () => started.close());

  function call(url: string): Promise<{ status: number; body: string; type: string | undefined }> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const r = httpsRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers: { Authorization: `Bearer ${TOKEN}` }, ca: started.caPem ?? '', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: res.headers['content-type'] }));
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end();
    });
  }

  it('pages a query through nextRecordsUrl on the org’s My Domain', async () => {
    const base = started.myDomain['acme'] as string;
    const first = await call(`${base}${q('SELECT Id FROM Account')}`);
    const page1 = JSON.parse(first.body);
    expect([first.status, first.type, page1.totalSize, page1.done, page1.records.length, page1.nextRecordsUrl]).toEqual([
      200,
      'application/json;charset=UTF-8',
      2100,
      false,
      2000,
      '/services/data/v68.0/query/01g5g0000000001AAA-2000',
    ]);
    const second = await call(`${base}${page1.nextRecordsUrl}`);
    const page2 = JSON.parse(second.body);
    expect([second.status, page2.done, page2.records.length]).toEqual([200, true, 100]);
  });
});
