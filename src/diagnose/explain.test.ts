/**
 * `explain` against its sources of truth: every OAuth error outcome is explainable by its words and
 * lists exactly the catalogue scenarios that expect it; every check id and scenario id is
 * explainable; pasted bodies, log lines and partial texts find their answer; unknown queries get
 * close matches. The rendered text is checked where a person reads it.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../mock-server/core/check.ts';
import { OUTCOMES } from '../../mock-server/core/outcomes.ts';
import { catalogue } from '../../scenarios/load.ts';
import { type AnswerExplanation, explain, explainable, explainSuggestions, lookUp, lookUpForms, scenariosExpecting } from './explain.ts';
import { renderExplanation, wrap } from './explain-render.ts';

const answer = (query: string): AnswerExplanation => {
  const e = explain(query);
  if (e?.kind !== 'answer') throw new Error(`"${query}" explained as ${e?.kind ?? 'nothing'}`);
  return e;
};
const wire = (e: AnswerExplanation) => e.answers.map((a) => [a.status, a.error, a.description]);

const OAUTH = Object.entries(OUTCOMES).flatMap(([name, o]) => (o.kind === 'oauth-error' ? [[name, o] as const] : []));

describe('explain: every answer Salesforce gives', () => {
  it.each(OAUTH)('%s is explained by its error_description, with every scenario that expects it', (name, o) => {
    const e = answer(o.description);
    expect(wire(e)).toEqual([[o.status, o.error, o.description]]);
    const [a] = e.answers;
    expect(a?.outcomes.map((x) => x.name)).toContain(name);
    expect(a?.causes.length).toBeGreaterThan(0);
    const expected = catalogue()
      .filter((s) => s.expect.status === o.status && s.expect.error === o.error && s.expect.error_description === o.description)
      .map((s) => s.id)
      .sort();
    expect(a?.causes.flatMap((c) => c.scenarios.map((s) => s.id)).sort()).toEqual(expected);
    expect(scenariosExpecting(o).sort()).toEqual(expected);
    expect(a?.meaning).toContain(o.meaning);
    expect(a?.outcomes.find((x) => x.name === name)).toMatchObject({ confidence: o.confidence, loginHistory: 'loginHistory' in o ? o.loginHistory : null });
  });

  it('"user hasn\'t approved this consumer": audience (knob only), user and app-access, told apart by the doctor\'s probe', () => {
    const [a] = answer("user hasn't approved this consumer").answers;
    expect(a?.causes.map((c) => [c.check, c.onlyWithKnob])).toEqual([
      ['audience', 'myDomainAudience'],
      ['user', null],
      ['app-access', null],
    ]);
    expect(a?.causes[1]?.scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['sub.typo', 'sub.sandbox-user-at-login', 'sub.prod-user-at-test', 'sub.email', 'sub.user-id']));
    expect(a?.causes[2]?.scenarios.map((s) => s.id)).toEqual(['user.never-approved']);
    expect(a?.tellApart[0]).toBe(
      'Salesforce runs audience → user → app-access in this order and the first that fails answers: when several apply, the earliest one is the answer, and fixing it may reveal the next.',
    );
    expect(a?.tellApart[1]).toMatch(/^audience \(only in some reports: knob myDomainAudience\): npx sfjwt inspect <JWT> --host/);
    expect(a?.tellApart.at(-1)).toBe(
      'Run npx sfjwt doctor --login URL --client-id ID --username U --key FILE: it tries the same user at the other environment (test for production, login for sandboxes; --other-login URL). Another answer there: the user belongs to that environment (user). The same answer: the username is unknown everywhere (check its spelling) or the user never approved the app (app-access).',
    );
  });

  it('"invalid assertion": four checks in order, Login History only for the signature', () => {
    const [a] = answer('invalid assertion').answers;
    expect(a?.causes.map((c) => c.check)).toEqual(['assertion', 'alg', 'signature', 'expiry']);
    expect(a?.outcomes.map((o) => [o.name, o.loginHistory, o.causes])).toEqual([
      ['invalidAssertion', null, ['assertion', 'alg', 'expiry']],
      ['signatureInvalid', 'Failed: Signature Invalid', ['signature']],
    ]);
    expect(a?.tellApart).toContain(
      'signature: npx sfjwt inspect <JWT> --cert server.crt verifies the signature with the certificate uploaded to the app: signature-mismatch means another key signed it; if it verifies, the app holds another certificate (or none: a deploy can clear it). Login History: "Failed: Signature Invalid".',
    );
  });

  it('unknown_error is a failure on Salesforce\'s side, decided by "forced"', () => {
    const [a] = answer('unknown_error').answers;
    expect(a?.causes.map((c) => [c.check, c.title, c.scenarios.map((s) => s.id)])).toEqual([['forced', "A failure on Salesforce's side", ['transient.unknown-error']]]);
    expect(a?.tellApart.at(-1)).toBe('Run npx sfjwt doctor --login URL --client-id ID --username U --key FILE: it retries once; a transient failure passes on a later attempt.');
  });
});

describe('explain: what a user pastes', () => {
  it.each([
    ['{"error":"invalid_grant","error_description":"audience is invalid"}', [[400, 'invalid_grant', 'audience is invalid']]],
    ['HTTP/1.1 400 Bad Request {"error":"invalid_client_id","error_description":"client identifier invalid"}', [[400, 'invalid_client_id', 'client identifier invalid']]],
    ['error=invalid_grant&error_description=user+hasn%27t+approved+this+consumer', [[400, 'invalid_grant', "user hasn't approved this consumer"]]],
    ['<?xml version="1.0"?><OAuth><error>invalid_grant</error><error_description>ip restricted</error_description></OAuth>', [[400, 'invalid_grant', 'ip restricted']]],
    ['"User Hasn\u2019t Approved This Consumer"', [[400, 'invalid_grant', "user hasn't approved this consumer"]]],
    ['hasnt approved', [[400, 'invalid_grant', "user hasn't approved this consumer"]]],
    ['Error: invalid_grant: expired authorization code.', [[400, 'invalid_grant', 'expired authorization code']]],
    ['  Audience Is Invalid  ', [[400, 'invalid_grant', 'audience is invalid']]],
    ['{"error":"unknown_error"}', [[400, 'unknown_error', 'retry your request']]],
    [
      'invalid_request',
      [
        [400, 'invalid_request', 'must use HTTP POST'],
        [400, 'invalid_request', 'HTTPS required'],
      ],
    ],
    ['OAuth error: inactive_org', [[400, 'inactive_org', 'organization is locked, closed, or suspended']]],
    ['invalid_app_access', [[400, 'invalid_app_access', 'user is not admin approved to access this app']]],
    ['app_not_found', [[400, 'app_not_found', 'External client app is not installed in this org']]],
    ['unsupported_grant_type', [[400, 'unsupported_grant_type', 'grant type not supported']]],
    ['404', [[404, null, null]]],
    ['302', [[302, null, null]]],
  ])('%s', (query, expected) => {
    expect(wire(answer(query))).toEqual(expected);
  });

  it('invalid_grant lists every answer with that code, in the order of OUTCOMES', () => {
    expect(wire(answer('invalid_grant')).map(([, , d]) => d)).toEqual([
      'invalid assertion',
      'audience is invalid',
      'expired authorization code',
      "user hasn't approved this consumer",
      'inactive user',
      'user is frozen',
      'ip restricted',
      'login rate exceeded',
    ]);
  });
});

describe('explain: what the REST API and the identity service answer after the token', () => {
  const api = (query: string) => {
    const e = explain(query);
    if (e?.kind !== 'api-answer') throw new Error(`"${query}" explained as ${e?.kind ?? 'nothing'}`);
    return e;
  };

  it.each([
    ['INVALID_SESSION_ID', 401, 'INVALID_SESSION_ID'],
    ['invalid_session_id', 401, 'INVALID_SESSION_ID'],
    ['Session expired or invalid', 401, 'INVALID_SESSION_ID'],
    ['[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]', 401, 'INVALID_SESSION_ID'],
    ['HTTP/1.1 401 Unauthorized [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]', 401, 'INVALID_SESSION_ID'],
    ['Bad_OAuth_Token', 403, 'Bad_OAuth_Token'],
    ['403 Bad_OAuth_Token', 403, 'Bad_OAuth_Token'],
    ['Bad_Id', 403, 'Bad_Id'],
  ])('%s', (query, status, code) => {
    const e = api(query);
    expect([e.status, e.code]).toEqual([status, code]);
    expect(e.causes.length).toBeGreaterThan(1);
    for (const c of e.causes) for (const part of [c.title, c.description, c.confirm, c.fix]) expect(part.length).toBeGreaterThan(10);
  });

  it('INVALID_SESSION_ID: expiry, the wrong host, a revoked session and a damaged header, each with its fix', () => {
    const e = api('INVALID_SESSION_ID');
    expect(e.causes.map((c) => c.id)).toEqual(['session-expired', 'wrong-host', 'session-revoked', 'token-damaged']);
    expect(e.causes[0]?.fix).toContain('sign a new assertion');
    expect(e.causes[1]?.fix).toContain('instance_url');
  });

  it('renders heading, meaning, causes with how to confirm and fix', () => {
    const text = renderExplanation(api('Bad_OAuth_Token'));
    expect(text.split('\n').slice(0, 3)).toEqual(['Bad_OAuth_Token  (HTTP 403, the identity service: the id URL and /services/oauth2/userinfo)', '', 'What it means']);
    expect(text).toMatch(/\nCauses \(\d\)\n {2}1\. /);
    expect(text).toContain('\n     confirm: ');
    expect(text).toContain('\n     fix: ');
  });

  it('the HTML page of an unknown path is the 404 answer, by its title or whole', () => {
    const page = '<!DOCTYPE html><html><head><meta charset="UTF-8"><title>URL No Longer Exists</title></head><body><h1>URL No Longer Exists</h1></body></html>';
    for (const query of ['URL No Longer Exists', page, 'You have attempted to reach a URL that no longer exists on salesforce.com.']) expect(wire(answer(query))).toEqual([[404, null, null]]);
  });

  it('explainable() and suggestions know the API answers', () => {
    expect(explainable().apiAnswers).toEqual(['INVALID_SESSION_ID', 'Bad_OAuth_Token', 'Bad_Id']);
    expect(explainSuggestions('INVALID_SESION_ID')).toEqual(['INVALID_SESSION_ID']);
  });
});

describe('explain: a query of several words', () => {
  it.each([
    ['invalid grant', 'invalid_grant', 'answer'],
    ['invalid client id', 'invalid_client_id', 'answer'],
    ['user state', 'user-state', 'check'],
    ['invalid session id', 'invalid_session_id', 'api-answer'],
    ['invalid_grant', 'invalid_grant', 'answer'],
    ["user hasn't approved", "user hasn't approved", 'answer'],
  ])('%j is looked up as %s', (query, lookedUp, kind) => {
    const found = lookUp(query);
    expect(found?.lookedUp).toBe(lookedUp);
    expect(found?.explanation.kind).toBe(kind);
  });

  it('words that name nothing, joined or not: nothing, with every form tried', () => {
    expect(lookUp('hello world')).toBeUndefined();
    expect(lookUpForms('hello world')).toEqual(['hello world', 'hello_world', 'hello-world']);
  });
});

describe('explain: scenarios and checks', () => {
  it.each(CHECK_IDS.map((id) => [id]))('check %s', (id) => {
    const e = explain(id);
    expect(e?.kind).toBe('check');
    if (e?.kind !== 'check') return;
    expect(e.position.index).toBe(CHECK_IDS.indexOf(id) + 1);
    expect(e.outcomes.length).toBeGreaterThan(0);
    expect(e.scenarios.map((s) => s.id)).toEqual(
      catalogue()
        .filter((s) => s.expect.decidedBy === id)
        .map((s) => s.id),
    );
  });

  it.each(catalogue().map((s) => [s.id, s] as const))('scenario %s', (id, s) => {
    expect(explain(id)).toMatchObject({
      kind: 'scenario',
      id,
      title: s.title,
      mistakes: s.mistakes,
      explanation: s.explanation,
      fix: s.fix,
      references: s.references,
      confidence: s.confidence,
      decidedBy: s.expect.decidedBy === null ? null : { check: s.expect.decidedBy },
    });
  });
});

describe('explain: what it does not know', () => {
  it.each([
    ['invalid_grnt', ['invalid_grant']],
    ['iss-capitalized', ['claims.iss-capitalised']],
    ['audiance is invalid', ['audience is invalid']],
    ['expird', ['expiry']],
    ['usr', ['user']],
    ['hello world', []],
  ])('%s → %j', (query, close) => {
    expect(explain(query)).toBeUndefined();
    expect(explainSuggestions(query)).toEqual(close);
  });

  it.each([[''], ['   '], ['in']])('%j is nothing', (query) => expect(explain(query)).toBeUndefined());
});

describe('renderExplanation', () => {
  it('an answer: heading, meaning, causes, Login History and confidence', () => {
    const text = renderExplanation(answer('{"error":"invalid_grant","error_description":"audience is invalid"}'));
    expect(text.split('\n').slice(0, 5)).toEqual(['invalid_grant: audience is invalid  (HTTP 400)', '', 'What it means', '  aud is not an audience of the host the request was posted to.', '']);
    expect(text).toContain('\nCauses, in the order Salesforce checks (1)\n  1. audience: aud is an audience of the host  [MUST, OBS+]\n');
    expect(text).toContain('     - aud.token-url: aud is the token URL, not the login URL [OBS+]\n');
    expect(text.endsWith('\n\nLogin History\n  "Failed: Audience Invalid"\n\nConfidence\n  OBS+ (seen in several real responses)')).toBe(true);
  });

  it('an answer with several outcomes names what each cause records', () => {
    const text = renderExplanation(answer('invalid assertion'));
    expect(text).toContain('\nHow to tell them apart\n  - Salesforce runs assertion → alg → signature → expiry in this order');
    expect(text).toContain('\nLogin History\n  no status recorded for invalidAssertion (assertion, alg or expiry)\n  "Failed: Signature Invalid" for signatureInvalid (signature)\n');
    expect(text).toContain(
      '\nConfidence\n  OBS1 (seen in one real response) for invalidAssertion (assertion, alg or expiry)\n  OBS+ (seen in several real responses) for signatureInvalid (signature)',
    );
  });

  it('one check with two outcomes: Login History per outcome', () => {
    const [a] = answer('client identifier invalid').answers;
    expect(a?.tellApart[0]).toBe(
      'issuer: compare iss (npx sfjwt inspect <JWT>) with the consumer key in Setup > App Manager > View > Manage Consumer Details, in the org this host serves; a new or changed app takes up to 10 minutes. Login History: "Failed: Missing Consumer Key Parameter" (missingIssuer) or no status recorded (invalidClientId).',
    );
    expect(renderExplanation(answer('client identifier invalid'))).toContain('\nHow to confirm it\n  - issuer: ');
  });

  it('a scenario and a check', () => {
    const scenario = renderExplanation(explain('claims.iss-capitalised') ?? answer('x'));
    expect(scenario).toContain(
      '\nMistakes\n  - claims: {"rename":{"iss":"Iss"}}\n\nSalesforce answers\n  400 invalid_client_id: client identifier invalid\n\nDecided by\n  issuer: iss is the consumer key of a known app\n',
    );
    const check = renderExplanation(explain('ip-restriction') ?? answer('x'));
    expect(check.split('\n').slice(0, 2)).toEqual(["ip-restriction: Caller within the profile's login IP ranges and hours", '  check 14 of 16 · MUST · confidence DOC (documented by Salesforce)']);
    expect(check).toContain('\nAnswers it gives\n  400 invalid_grant: ip restricted  (ipRestricted, OBS+ · Login History "Restricted IP")\n');
    expect(check).toMatch(/\n {2}user\.ip-restricted {2}400 invalid_grant: ip restricted {2}/);
  });

  it.each([
    ['one two three', '  ', '  one two three'],
    [`${'a'.repeat(60)} ${'b'.repeat(60)}`, '    ', `    ${'a'.repeat(60)}\n    ${'b'.repeat(60)}`],
    ['why not', '         ', '       why: why not', '       why: '],
  ])('wrap(%j)', (text, indent, out, first?: string) => {
    expect(wrap(text, indent, first)).toBe(out);
  });
});
