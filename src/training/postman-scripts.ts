/**
 * The scripts of an export, as the lines of Postman's `exec` arrays: each request's test, which
 * asserts Salesforce's answer (one `pm.test` per request, so a run's assertion count is its request
 * count), and, against the served mock, the collection's one pre-request script, which runs before
 * every request and makes the admin API calls of postman-mock-state.ts with `pm.sendRequest`, one
 * after another: the reset, then the calls of the request's scenario (a table by request name). A
 * failed call is not thrown from its callback (where Postman would report it apart from the
 * request): it is kept in a local variable that the request's test asserts first, so a mock in the
 * wrong state fails that request with the call that went wrong. Plain ES5, as Postman's sandbox runs it.
 */
import type { Scenario } from '../../scenarios/schema.ts';
import { type AdminStep, RESET } from './postman-mock-state.ts';

/** The local variable a pre-request script leaves its failure in ('' when the mock is ready). */
export const SETUP_ERROR_VARIABLE = 'sfjwt_setup_error';

const js = (value: unknown): string => JSON.stringify(value);

/** The collection's pre-request script: a reset, then the request's own steps, through the admin API at admin_url. */
export function prerequestLines(stepsByRequest: Readonly<Record<string, readonly AdminStep[]>>): string[] {
  return [
    "// Before every request: the mock reset and put in the state of the request's scenario, through its",
    '// admin API (docs/admin-api.md), as npx sfjwt run does before every scenario.',
    `var state = ${js(stepsByRequest)};`,
    `var steps = [${js(RESET)}].concat(Object.prototype.hasOwnProperty.call(state, pm.info.requestName) ? state[pm.info.requestName] : []);`,
    "var admin = pm.variables.get('admin_url');",
    "var token = pm.variables.get('admin_token');",
    `pm.variables.set(${js(SETUP_ERROR_VARIABLE)}, '');`,
    'function call(method, path, body, then) {',
    "  var header = token ? { Authorization: 'Bearer ' + token } : {};",
    "  if (method !== 'GET') header['Content-Type'] = 'application/json';",
    '  var request = { url: admin + path, method: method, header: header };',
    "  if (body !== undefined) request.body = { mode: 'raw', raw: JSON.stringify(body) };",
    '  pm.sendRequest(request, function (err, res) {',
    `    if (err || res.code >= 300) return pm.variables.set(${js(SETUP_ERROR_VARIABLE)}, method + ' ' + path + ': ' + (err ? err.message : res.code + ' ' + res.text()));`,
    '    then(res);',
    '  });',
    '}',
    'function run(i) {',
    '  var step = steps[i];',
    '  if (step === undefined) return;',
    '  if (step.clearCertificatesOf === undefined) return call(step.method, step.path, step.body, function () { run(i + 1); });',
    "  call('GET', '/world', undefined, function (res) {",
    '    var app = res.json().apps.filter(function (a) { return a.name === step.clearCertificatesOf; })[0];',
    `    if (app === undefined) return pm.variables.set(${js(SETUP_ERROR_VARIABLE)}, 'GET /world: no app ' + step.clearCertificatesOf);`,
    '    var remove = function (j) {',
    '      if (j === app.certificates.length) return run(i + 1);',
    "      call('POST', '/setup/remove-certificate', { app: app.name, sha256: app.certificates[j].sha256 }, function () { remove(j + 1); });",
    '    };',
    '    remove(0);',
    '  });',
    '}',
    'run(0);',
  ];
}

/** The test's name: the answer Salesforce gives, in the runner's words (src/runner/answer.ts). */
export function testName(expect: Scenario['expect']): string {
  if (expect.status === 200) return 'answers 200 with a token';
  const body = expect.body === 'html' ? ' (html body)' : expect.body === 'none' ? ' (no body)' : '';
  const error = [expect.error, expect.error_description].filter((x) => x !== undefined).join(': ');
  return `answers ${expect.status}${error === '' ? '' : ` ${error}`}${body}`;
}

/** What the test asserts of the body, after the status. */
function bodyLines(expect: Scenario['expect']): string[] {
  if (expect.body === 'html') return ["  pm.expect(pm.response.text(), 'an HTML page').to.match(/^\\s*</);"];
  if (expect.body === 'none') return ["  pm.expect(pm.response.text(), 'no body').to.equal('');"];
  if (expect.status === 200) {
    return ['  var body = pm.response.json();', "  pm.expect(body.access_token, 'access_token').to.be.a('string').and.not.empty;", `  pm.expect(body.token_type, 'token_type').to.equal('Bearer');`];
  }
  const fields = Object.fromEntries(Object.entries({ error: expect.error, error_description: expect.error_description }).filter(([, v]) => v !== undefined));
  // Salesforce's error body is exactly its two fields: the whole object is compared when both are known.
  if (Object.keys(fields).length === 2) return [`  pm.expect(pm.response.json()).to.eql(${js(fields)});`];
  return Object.entries(fields).map(([k, v]) => `  pm.expect(pm.response.json()).to.have.property(${js(k)}, ${js(v)});`);
}

/** The test script: the mock's state first (when a pre-request script set it), the exact status, the body. */
export function testLines(expect: Scenario['expect'], options: { mock: boolean }): string[] {
  return [
    ...(options.mock ? [`var setupError = pm.variables.get(${js(SETUP_ERROR_VARIABLE)});`] : []),
    `pm.test(${js(testName(expect))}, function () {`,
    ...(options.mock ? ["  pm.expect(setupError, \"the mock's state (the pre-request script)\").to.equal('');"] : []),
    `  pm.response.to.have.status(${expect.status});`,
    ...bodyLines(expect),
    '});',
  ];
}
