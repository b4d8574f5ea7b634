/**
 * The Postman export without a server: the plan (which scenarios, which requests, what is left out
 * and why) for a served mock described by a line of free ports and for a real org of a config, the
 * collection's exact JSON for one request, a request and a test for every exported scenario, ids
 * that never change, the mock's state as the collection's pre-request script table, no secret
 * material in the collection (nor a key, consumer secret or token in the environment), how long the
 * assertions keep their answers, and the writer's refusals. Time is frozen at NOW.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW, testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { logicalHosts } from '../../mock-server/world/hosts.ts';
import { catalogue } from '../../scenarios/load.ts';
import type { ResolvedTargetConfig } from '../runner/config.ts';
import { assertionVariable, postmanCollection, stableId } from './postman-collection.ts';
import { assertionValidity, postmanEnvironment } from './postman-environment.ts';
import { planExport } from './postman-requests.ts';
import { hostVariable, realOrgTarget, servedMockTarget } from './postman-targets.ts';
import { writeExport } from './postman-write.ts';

const world = testWorld();
const { privateKeyPem } = testKeys();
const hosts = Object.fromEntries(logicalHosts(world.orgs).map((h, i) => [h.name, `https://127.0.0.1:${9000 + i}`]));
const line = { hosts, admin: 'https://127.0.0.1:9000/__sfjwt', consumerKey: world.apps[0]?.consumerKey ?? '', privateKeyFile: 'key.pem', certificateFile: 'cert.pem' };
const ADMIN_TOKEN = 'the-admin-token-of-this-test-0123456789';

async function mockExport(now = NOW) {
  const target = servedMockTarget(line, world, privateKeyPem, now);
  const plan = await planExport(catalogue(), target.planner);
  const collection = postmanCollection({ name: 'sfjwt: the served mock', kind: 'mock', plan, hosts: target.hosts, notes: target.notes });
  const environment = postmanEnvironment({ name: 'sfjwt: the served mock', plan, hosts: target.hosts, admin: { url: line.admin, token: ADMIN_TOKEN }, signedAt: now });
  return { plan, collection, environment };
}

const items = (collection: { item: { item: { name: string }[] }[] }) => collection.item.flatMap((f) => f.item);

describe('the export for the served mock', () => {
  it('one request item, exactly: the URL and the assertion as variables, the body as buildRequest made it, a test of the exact answer', async () => {
    const { collection } = await mockExport();
    expect(items(collection).find((i) => i.name === 'claims.iss-capitalised')).toEqual({
      id: stableId('request claims.iss-capitalised'),
      name: 'claims.iss-capitalised',
      description: expect.stringMatching(
        /^\*\*"Iss" instead of "iss"\*\* \(MUST; scenario `claims\.iss-capitalised`\)\n\nJSON claim names are case-sensitive\..*\n\n\*\*Fix:\*\* Write the claim names in lower case exactly: iss, sub, aud, exp\..*\n\n\*\*Salesforce answers:\*\* 400 invalid_client_id: client identifier invalid \(confidence OBS\+\)\n\nReferences: /s,
      ),
      event: [
        {
          listen: 'test',
          script: {
            type: 'text/javascript',
            exec: [
              'var setupError = pm.variables.get("sfjwt_setup_error");',
              'pm.test("answers 400 invalid_client_id: client identifier invalid", function () {',
              `  pm.expect(setupError, "the mock's state (the pre-request script)").to.equal('');`,
              '  pm.response.to.have.status(400);',
              '  pm.expect(pm.response.json()).to.eql({"error":"invalid_client_id","error_description":"client identifier invalid"});',
              '});',
            ],
          },
        },
      ],
      protocolProfileBehavior: { followRedirects: false, disableUrlEncoding: true, disabledSystemHeaders: { 'content-type': true } },
      request: {
        method: 'POST',
        header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
        body: { mode: 'raw', raw: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={{assertion_claims_iss_capitalised}}' },
        url: '{{login_url}}/services/oauth2/token',
      },
    });
  });

  it('every exported scenario has one request with one test; the rest are left out with the reason, in the description too', async () => {
    const { plan, collection } = await mockExport();
    expect(plan.leftOut).toEqual([
      { id: 'claims.iss-consumer-secret', reason: 'its request carries the consumer secret of app Acme Integration, and no secret goes into an exported file' },
      { id: 'send.plain-http', reason: 'does not run on a mock-https target' },
    ]);
    expect(items(collection).map((i) => i.name)).toEqual(
      catalogue()
        .map((s) => s.id)
        .filter((id) => !plan.leftOut.some((l) => l.id === id)),
    );
    for (const item of items(collection) as unknown as { event: { listen: string; script: { exec: string[] } }[] }[]) {
      expect(item.event.map((e) => e.listen)).toEqual(['test']);
      expect(item.event[0]?.script.exec.filter((l) => l.startsWith('pm.test('))).toHaveLength(1);
    }
    expect(collection.info.description).toContain('Left out (2):\n\n- `claims.iss-consumer-secret`: its request carries the consumer secret');
  });

  it("the mock's state: one pre-request script, a reset before every request and a table of the four scenarios that need more", async () => {
    const { collection } = await mockExport();
    const exec = (collection as unknown as { event: { listen: string; script: { exec: string[] } }[] }).event[0]?.script.exec ?? [];
    expect(exec[2]).toBe(
      'var state = {"app.changed-minutes-ago":[{"method":"PATCH","path":"/knobs","body":{"propagationDelaySeconds":600}},{"method":"POST","path":"/setup/touch-app","body":{"app":"Acme Integration"}}],"signature.certificate-cleared":[{"clearCertificatesOf":"Acme Integration"}],"transient.unknown-error":[{"method":"POST","path":"/force","body":{"outcome":"unknown_error","count":1,"delayMs":1000}}],"user.login-rate-exceeded":[{"method":"PATCH","path":"/knobs","body":{"loginRatePerHour":1}},{"method":"POST","path":"/setup/record-logins","body":{"username":"integration@acme.com","count":1}}]};',
    );
    expect(exec[3]).toBe('var steps = [{"method":"POST","path":"/reset"}].concat(Object.prototype.hasOwnProperty.call(state, pm.info.requestName) ? state[pm.info.requestName] : []);');
  });

  it('hosts are variables of the environment; a site keeps its path, a My Domain its own host', async () => {
    const { collection } = await mockExport();
    const url = (id: string) => (items(collection).find((i) => i.name === id) as unknown as { request: { url: string } }).request.url;
    expect([url('baseline.site'), url('baseline.my-domain-login-audience'), url('baseline.sandbox-at-test'), url('send.wrong-path')]).toEqual([
      '{{acme_my_site_com_url}}/customers/services/oauth2/token',
      '{{acme_my_url}}/services/oauth2/token',
      '{{test_url}}/services/oauth2/token',
      '{{login_url}}/services/oauth/token',
    ]);
    expect([hostVariable('login.salesforce.com'), hostVariable('acme--uat.sandbox.my.salesforce.com'), hostVariable('acme.lightning.force.com')]).toEqual([
      'login_url',
      'acme_uat_sandbox_my_url',
      'acme_lightning_force_com_url',
    ]);
  });

  it('ids never change: the same collection at another time, unique ids, and a known id', async () => {
    const a = await mockExport();
    const b = await mockExport(NOW + 3_600_000);
    expect(JSON.stringify(b.collection)).toBe(JSON.stringify(a.collection));
    const ids = [a.collection.info._postman_id, ...a.collection.item.flatMap((f) => [f.id, ...f.item.map((i) => i.id)])];
    expect(new Set(ids).size).toBe(ids.length);
    expect(stableId('request baseline.login')).toBe(stableId('request baseline.login'));
    expect(stableId('request baseline.login')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(catalogue().map((s) => assertionVariable(s.id))).size).toBe(catalogue().length);
  });

  it('no secret material in the collection; the environment holds assertions and the admin token as secrets, and no key, consumer secret or token', async () => {
    const { plan, collection, environment } = await mockExport();
    const text = JSON.stringify(collection);
    const envText = JSON.stringify(environment);
    const keyBody = privateKeyPem.split('\n')[1] ?? 'missing';
    const secrets = world.apps.flatMap((a) => (a.consumerSecret === undefined ? [] : [a.consumerSecret]));
    expect(secrets.length).toBeGreaterThan(0);
    for (const r of plan.requests) if (r.request.assertion !== undefined && r.request.assertion !== '') expect(text).not.toContain(r.request.assertion);
    for (const s of [ADMIN_TOKEN, keyBody, 'PRIVATE KEY', ...secrets]) expect(text).not.toContain(s);
    const decoded = environment.values.flatMap((v) => v.value.split('.').map((p) => Buffer.from(p, 'base64url').toString('utf8')));
    for (const s of [keyBody, 'PRIVATE KEY', 'access_token', ...secrets]) {
      expect(envText).not.toContain(s);
      expect(decoded.some((d) => d.includes(s))).toBe(false);
    }
    const types = Object.fromEntries(environment.values.map((v) => [v.key, v.type]));
    expect([types['admin_token'], types['assertion_baseline_login'], types['assertion_baseline_login_exp'], types['login_url']]).toEqual(['secret', 'secret', 'default', 'default']);
    expect(environment.values.find((v) => v.key === 'assertion_exp_capitalised_exp')?.value).toBe('(no exp claim)');
    expect(environment.values.find((v) => v.key === 'assertion_exp_milliseconds_exp')?.value).toBe(`${NOW + 300_000} (${new Date(NOW + 300_000).toISOString()})`);
  });

  it('the assertions keep their answers until exp.within-leeway passes exp plus the leeway: 80 s', async () => {
    const { plan } = await mockExport();
    expect(assertionValidity(plan, 180)).toEqual({ until: NOW + 80_000, first: 'exp.within-leeway' });
  });
});

describe('the export for a real org', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-postman-real-'));
  writeFileSync(join(dir, 'key.pem'), privateKeyPem);
  const config = (over: Partial<ResolvedTargetConfig> = {}): ResolvedTargetConfig => ({
    name: 'uat',
    loginUrl: 'https://acme--uat.sandbox.my.salesforce.com/',
    hosts: { test: 'https://test.salesforce.com' },
    consumerKey: '3MVG9TheConsumerKey',
    consumerSecret: 'the-consumer-secret-of-uat-0123',
    username: 'integration@acme.com.uat',
    keyFile: join(dir, 'key.pem'),
    passphrase: undefined,
    users: {},
    allowNegative: false,
    budget: 20,
    delayMs: 1000,
    maxFailuresPerUser: 3,
    ...over,
  });
  const plan = (c: ResolvedTargetConfig) => planExport(catalogue(), realOrgTarget(c, NOW).planner);

  it("only what run would send: no negative scenario without allowNegative, nothing that needs the mock's state, within the budget", async () => {
    const p = await plan(config());
    expect(p.requests.map((r) => r.scenario.id)).toEqual([
      'aud.missing-scheme',
      'aud.trailing-slash',
      'baseline.extra-claims',
      'baseline.login',
      'baseline.typ-jwt',
      'exp.far-future',
      'exp.milliseconds',
      'exp.now',
      'exp.string-digits',
      'exp.within-leeway',
      'form.query-string',
      'sub.prn',
    ]);
    const reasons = new Map(p.leftOut.map((l) => [l.id, l.reason]));
    expect([reasons.get('alg.none'), reasons.get('user.login-rate-exceeded'), reasons.get('baseline.sandbox-at-test'), reasons.get('app.eca-my-domain')]).toEqual([
      'a negative scenario (an expected failure): the target has not opted in with allowNegative',
      'does not run on a real target',
      'needs a user for the role "sandbox" (users.sandbox in the config)',
      'needs the eca app, which the config does not describe',
    ]);
    expect((await plan(config({ budget: 2 }))).leftOut.find((l) => l.id === 'baseline.extra-claims')?.reason).toBe('the request budget of 2 for this run is used up');
  });

  it('negative scenarios with allowNegative, until the failed-login cap of the user is reached by the answers they expect', async () => {
    const p = await plan(config({ allowNegative: true, budget: 1000, maxFailuresPerUser: 3 }));
    // The cap counts the usernames a request names: an assertion without a readable sub names nobody,
    // and sub.typo names another user, so those still go.
    expect(p.requests.filter((r) => r.scenario.expect.status !== 200).map((r) => r.scenario.id)).toEqual([
      'alg.es256',
      'alg.hs256-private-key-text',
      'alg.none',
      'assertion.empty',
      'assertion.missing',
      'assertion.payload-invalid-json',
      'sub.typo',
    ]);
    expect(p.leftOut.find((l) => l.id === 'alg.rs512')?.reason).toBe('3 failed logins for integration@acme.com.uat in this run already');
    const target = realOrgTarget(config({ allowNegative: true }), NOW);
    const collection = postmanCollection({ name: 'sfjwt: uat', kind: 'real', plan: p, hosts: target.hosts, notes: target.notes });
    const text = JSON.stringify(collection);
    expect(text).not.toContain('pm.sendRequest');
    expect(text).not.toContain('the-consumer-secret-of-uat-0123');
    expect((items(collection).find((i) => i.name === 'alg.es256') as unknown as { request: { url: string } }).request.url).toBe('{{login_url}}/services/oauth2/token');
    // In catalogue order, as run sends them: the cap reached, even the baseline is not sent.
    expect(p.leftOut.find((l) => l.id === 'baseline.login')?.reason).toBe('3 failed logins for integration@acme.com.uat in this run already');
    expect(collection.info.description).toContain('--delay-request 1000');
  });
});

describe('writeExport', () => {
  it('a folder it makes gets a .gitignore; the environment is 0600; an earlier export is replaced, a file of the user is not', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sfjwt-postman-write-')), 'postman');
    const { collection, environment } = await mockExport();
    const first = writeExport(dir, collection, environment);
    expect([first.gitignore, first.unguarded]).toEqual([join(dir, '.gitignore'), false]);
    expect(statSync(first.environment).mode & 0o777).toBe(0o600);
    expect(writeExport(dir, collection, environment).gitignore).toBeUndefined();
    expect(JSON.parse(readFileSync(first.collection, 'utf8'))).toEqual(JSON.parse(JSON.stringify(collection)));
    writeFileSync(first.collection, '{"info":{"name":"my own collection"}}');
    expect(() => writeExport(dir, collection, environment)).toThrow(`${first.collection} is there and is not an export of sfjwt's: sfjwt does not overwrite it`);
    const theirs = mkdtempSync(join(tmpdir(), 'sfjwt-postman-theirs-'));
    expect(writeExport(theirs, collection, environment)).toMatchObject({ gitignore: undefined, unguarded: true });
  });
});
