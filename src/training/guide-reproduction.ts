/**
 * Each scenario as a shell snippet a trainee pastes next to a mock started with `npx sfjwt serve
 * --detach --ready-file mock.json`, and the exact output it prints. The mistake lives where the
 * scenario puts it: one in the claims, the header or the signature is in the assertion that `sfjwt
 * sign --scenario ID` signs; one in the form or the sending is visible in the curl line itself,
 * which is derived from the request the client builds (src/client/build-request.ts, with a
 * placeholder for the assertion), so the snippet posts what a run posts. A scenario that needs the
 * mock in some state first sets it through the admin API and resets the mock after. URLs are read
 * from the ready file (`url HOST`), so a snippet works on whatever ports the mock took.
 * src/training/guide-reproductions.test.ts runs every snippet against the mock and compares.
 */
import { notFoundPage } from '../../mock-server/core/responses.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { buildRequestStep, type RequestContext } from '../client/build-request.ts';
import { sendsAssertion } from './scenario-request.ts';

/** The shell helpers every snippet uses, defined once where the mock was started. */
export const HELPERS = [
  `mock() { node -p "require('./\${2:-mock.json}').$1"; }   # a field of the mock's ready file`,
  `url() { mock "hosts['$1']" "$2"; }                      # the mock's base URL of a Salesforce host`,
  `admin() { p=$1; shift; curl -sf -o /dev/null --cacert "$(mock ca)" -H "Authorization: Bearer $(mock adminToken)" -H 'Content-Type: application/json' "$@" "$(mock admin)$p"; }`,
];

/** Starting and stopping the mock the snippets run against. */
export const START = 'npx sfjwt serve --detach --ready-file mock.json';
export const STOP = 'npx sfjwt stop --ready-file mock.json';

export interface Reproduction {
  /** The shell lines, run with the helpers defined. */
  script: string;
  /** What the snippet prints on standard output, exactly. */
  prints: string;
}

/** The title of the page an unknown path gets, as the mock serves it. */
function notFoundTitle(): string {
  return /<title>([^<]*)<\/title>/.exec(notFoundPage({ browserId: '', now: new Date(0) }).body)?.[1] ?? '';
}

const PLACEHOLDER = 'SFJWT_ASSERTION_PLACEHOLDER';
const JWT_FILE = 'scenario.jwt';

/** A word as the shell reads it: bare when it is safe, else in single quotes. */
function sh(word: string): string {
  return /^[A-Za-z0-9_:@%+=,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The base URL of the request as the snippet writes it: `$(url HOST)` of the ready file. */
function shellUrl(url: string, readyFile: string | undefined): string {
  const u = new URL(url);
  const file = readyFile === undefined ? '' : ` ${readyFile}`;
  return `"$(url ${u.hostname}${file})${u.pathname}${u.search.replace(new RegExp(PLACEHOLDER, 'g'), `$(cat ${JWT_FILE})`)}"`;
}

type Field = [string, string];

/** `-d name=value`, the assertion read from its file. */
function dataFlag(flag: '-d' | '-F', [name, value]: Field): string {
  if (value === PLACEHOLDER) return flag === '-F' ? `-F ${sh(`${name}=<${JWT_FILE}`)}` : `--data-urlencode ${name}@${JWT_FILE}`;
  const pair = `${name}=${value}`;
  return flag === '-F' || /^[A-Za-z0-9:._~-]*$/.test(value) ? `${flag} ${sh(pair)}` : `--data-urlencode ${sh(pair)}`;
}

/** The value of a field inside a double-quoted shell word. */
const quoted = (v: string) => (v === PLACEHOLDER ? `$(cat ${JWT_FILE})` : v.replace(/(["\\$`])/g, '\\$1'));

/** The curl flags that send the built request's form (or its lack) as it was built. */
function requestFlags(s: Scenario, built: { url: string; method: string; headers: Record<string, string>; body: string | undefined }): { flags: string[]; url: string } {
  const encoding = s.mistakes.reduce<string>((e, m) => (m.at === 'form' && m.encoding !== undefined ? m.encoding : e), 'form');
  const url = new URL(built.url);
  const flags: string[] = [];
  if (built.method === 'GET') {
    // buildRequestStep moved the form into the query: curl -G does the same with -d flags.
    flags.push('-G', ...[...url.searchParams].map((f) => dataFlag('-d', f)));
    url.search = '';
    return { flags, url: url.href };
  }
  if (built.method !== 'POST') flags.push('-X', built.method);
  switch (encoding) {
    case 'json': {
      const fields = Object.entries(JSON.parse(built.body ?? '{}') as Record<string, string>);
      flags.push("-H 'Content-Type: application/json'", `-d "{${fields.map(([k, v]) => `\\"${quoted(k)}\\":\\"${quoted(v)}\\"`).join(',')}}"`);
      break;
    }
    case 'headers':
      flags.push(`-H ${sh(`Content-Type: ${built.headers['Content-Type'] ?? ''}`)}`);
      for (const [k, v] of Object.entries(built.headers)) if (k !== 'Content-Type') flags.push(`-H "${quoted(k)}: ${quoted(v)}"`);
      flags.push("-d ''");
      break;
    case 'query':
      flags.push('-X POST');
      break;
    case 'multipart':
      for (const m of (built.body ?? '').matchAll(/name="([^"]*)"\r\n\r\n([^\r]*)\r\n/g)) flags.push(dataFlag('-F', [m[1] ?? '', m[2] ?? '']));
      break;
    default: {
      if (encoding === 'no-content-type') flags.push("-H 'Content-Type:'");
      if (encoding === 'text-plain') flags.push("-H 'Content-Type: text/plain'");
      const fields = [...new URLSearchParams(built.body ?? '')];
      flags.push(...(fields.length === 0 ? ["-d ''"] : fields.map((f) => dataFlag('-d', f))));
    }
  }
  return { flags, url: url.href };
}

/** What the snippet prints, and the curl flags that make it print that: the answer the scenario expects. */
function answerShape(s: Scenario): { flags: string[]; after: string[]; prints: string[] } {
  const e = s.expect;
  if (e.status === 200) return { flags: ['-o token.json', `-w 'HTTP %{http_code}\\n'`], after: [`grep -o '"token_type":"Bearer"' token.json`], prints: ['HTTP 200', '"token_type":"Bearer"'] };
  if (e.body === 'html')
    return { flags: ['-o page.html', `-w 'HTTP %{http_code}\\n'`], after: [`grep -o '<title>[^<]*</title>' page.html`], prints: [`HTTP ${e.status}`, `<title>${notFoundTitle()}</title>`] };
  if (e.body === 'none') return { flags: ['-o /dev/null', `-w 'HTTP %{http_code}, %{size_download} bytes\\n'`], after: [], prints: [`HTTP ${e.status}, 0 bytes`] };
  const body = JSON.stringify({ error: e.error, error_description: e.error_description });
  return { flags: [`-w '\\nHTTP %{http_code}\\n'`], after: [], prints: [body, `HTTP ${e.status}`] };
}

/** The admin API calls that put the mock in the scenario's state, and the reset that undoes them. */
function mockState(s: Scenario, ctx: RequestContext): { before: string[]; after: string[] } {
  const m = s.mock;
  if (m === undefined) return { before: [], after: [] };
  const json = (o: unknown) => sh(JSON.stringify(o));
  const before: string[] = [];
  if (m.knobs !== undefined) before.push(`admin /knobs -X PATCH -d ${json(m.knobs)}`);
  if (m.force !== undefined) before.push(`admin /force -d ${json(m.force)}`);
  if (m.touchApp === true) before.push(`admin /setup/touch-app -d ${json({ app: ctx.appName })}`);
  if (m.clearCertificates === true) {
    // The training ground's apps carry one certificate, the ready file's certificateFile.
    before.push(`sha=$(openssl x509 -in "$(mock certificateFile)" -noout -fingerprint -sha256 | cut -d= -f2)`);
    before.push(`admin /setup/remove-certificate -d "{\\"app\\":\\"${ctx.appName ?? ''}\\",\\"sha256\\":\\"$sha\\"}"`);
  }
  if (m.priorLogins !== undefined) before.push(`admin /setup/record-logins -d ${json({ username: ctx.username, count: m.priorLogins })}`);
  return { before, after: [`admin /reset -d '{}'   # back to the starting world`] };
}

/**
 * The snippet of one scenario. `ctx` is the scenario's context with every host's URL as its real
 * name (`https://login.salesforce.com`), which the snippet turns into the mock's through `url`.
 */
export function reproduction(s: Scenario, ctx: RequestContext): Reproduction {
  const built = buildRequestStep(PLACEHOLDER, ctx, s.mistakes);
  // Plain http needs a mock that serves it, and keeps refusing it as Salesforce does: a second one.
  const plainHttp = built.url.startsWith('http://');
  const readyFile = plainHttp ? 'http-mock.json' : undefined;
  const { flags, url } = requestFlags(s, built);
  const shape = answerShape(s);
  const state = mockState(s, ctx);
  const lines: string[] = [];
  if (plainHttp) lines.push(`npx sfjwt serve --http --require-tls --port 0 --detach --ready-file ${readyFile} > /dev/null`);
  lines.push(...state.before);
  if (sendsAssertion(s)) lines.push(`npx sfjwt sign --from-serve ${readyFile ?? 'mock.json'} --scenario ${s.id} --force > ${JWT_FILE}`);
  const tls = plainHttp ? [] : ['--cacert "$(mock ca)"'];
  lines.push([['curl -s', ...tls, ...shape.flags, shellUrl(url, readyFile)].join(' '), ...flags].join(' \\\n  '));
  lines.push(...shape.after, ...state.after);
  if (plainHttp) lines.push(`npx sfjwt stop --ready-file ${readyFile} > /dev/null`);
  return { script: lines.join('\n'), prints: `${shape.prints.join('\n')}\n` };
}
