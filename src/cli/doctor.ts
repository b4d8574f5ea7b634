/**
 * `sfjwt doctor`: diagnoses a failing JWT Bearer setup — local checks, one real token request, a few
 * bounded probes, then the most likely root cause (the Salesforce check that explains it), evidence
 * and the fix. Exit code 0 when the setup works, 1 when it does not, 2 for usage errors.
 */

import { UsageError } from '../../lib/errors.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../../lib/json-depth.ts';
import { INPUT_LIMITS, readInputFile, readInputText } from '../../lib/read-input-file.ts';
import { decodeAssertion } from '../../mock-server/core/checks/assertion.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { type DoctorInput, type DoctorReport, runDoctor } from '../diagnose/doctor.ts';
import { type EvidenceSource, gatherEvidence, mockEvidenceSource, restEvidenceSource, weighEvidence, withoutEvidence } from '../diagnose/evidence.ts';
import { type CapturedRequest, lintRequest } from '../diagnose/lint-request.ts';
import { sfEvidenceSource } from '../diagnose/sf-evidence.ts';
import { loadConfig, targetFromEnv } from '../runner/config.ts';
import { type Colours, type CommandSpec, colours, parse } from './args.ts';
import { fromServe } from './assertion-input.ts';
import { type CommandContext, inCwd } from './context.ts';
import { givenSecret, KEY_PASSPHRASE } from './passphrases.ts';
import { SUMMARIES } from './summaries.ts';

const doctorSpec = {
  name: 'doctor',
  summary: SUMMARIES.doctor,
  usage:
    'npx sfjwt doctor [--target NAME | --from-serve FILE | --login URL --client-id ID --username U --key FILE [--passphrase P] [--cert FILE] [--audience A] | --request FILE [those flags]] [--evidence SOURCE [--app NAME]] [--ca FILE] [--config FILE] [--json]',
  options: {
    target: { type: 'string' },
    config: { type: 'string' },
    login: { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    key: { type: 'string' },
    passphrase: { type: 'string' },
    cert: { type: 'string' },
    audience: { type: 'string' },
    request: { type: 'string' },
    ca: { type: 'string' },
    'other-login': { type: 'string' },
    'from-serve': { type: 'string' },
    evidence: { type: 'string' },
    app: { type: 'string' },
    json: { type: 'boolean' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const HELP = `${doctorSpec.usage}

${doctorSpec.summary}.
  --target NAME     a target of sfjwt.config.json (or "env" for the SFJWT_* variables)
  --login URL       https://login.salesforce.com, https://test.salesforce.com or your My Domain
  --client-id ID    the connected app's consumer key
  --username U      the integration user's username
  --key FILE        the private key (PEM, encrypted PEM, DER, PKCS#12 or JKS); optional with --request
  --passphrase P    the key's passphrase [SFJWT_KEY_PASSPHRASE]
  --cert FILE       the certificate uploaded to the app, to compare with the key
  --audience A      aud to send (default: login or test by the login URL)
  --from-serve FILE the login URL, CA, consumer key, username and key of a mock started with
                    npx sfjwt serve --ready-file FILE (or its --json line saved); flags given win
  --request FILE    a captured failing request to diagnose: {"method","url","headers","body"}. It gives
                    --login (its URL), --client-id and --username (its assertion's iss and sub):
                    flags given win. Without --key it is diagnosed as sent, and the probes that
                    would re-sign it are listed as not sent
  --ca FILE         an extra CA to trust (e.g. the sfjwt mock's)
  --other-login URL the other environment's login URL for probes (test for production, login for
                    sandboxes); by default the real one, and only when --login is a Salesforce host
  --evidence SOURCE read the org's own evidence (Login History, the user, the app's policy, approvals)
                    with a session you already have, never the credentials diagnosed: sf:<alias> (the
                    sf CLI's stored login; needs @salesforce/core installed), "mock" (the sfjwt
                    mock's admin API on the --login host), or an instance URL with its access token
                    in SFJWT_EVIDENCE_TOKEN. Queries only, at most 8, each listed; the root cause is
                    then marked confirmed or inferred
  --app NAME        the connected app's name, so --evidence can weigh its policy (default: the app
                    Login History names)
  --json            {ok, answer, rootCause: {check, title, evidence, fix, alternatives, confidence,
                    confirmWith?}, findings, probes, evidence?}

Exit code 0: the setup works; 1: it does not (see the root cause); 2: usage errors.

Examples:
  npx sfjwt doctor --login https://login.salesforce.com --client-id 3MVG9… --username integration@acme.com --key server.key --cert server.crt
  npx sfjwt doctor --target uat --json
  npx sfjwt doctor --request failing-request.json`;

/**
 * Key, certificate and CA material a user names: a regular file of at most 1 MiB (a FIFO would block
 * the doctor forever, /dev/zero would fill memory), refused at once with the path and what it is.
 */
function read(path: string, what: string, context?: string): Buffer {
  return readInputFile(path, { what, maxBytes: INPUT_LIMITS.keyMaterial, ...(context === undefined ? {} : { context }) });
}

/**
 * What a captured request says of the setup: the login URL (its URL up to /services/, without the
 * query) and the assertion's iss and sub (prn wins, as at Salesforce); `why` when the assertion does not say them.
 */
function answeredBy(request: CapturedRequest, now: number): { login: string; iss?: string; sub?: string; why?: string } {
  let login = request.url;
  try {
    const url = new URL(request.url);
    login = `${url.origin}${/^(.*?)\/services(\/|$)/i.exec(url.pathname)?.[1] ?? url.pathname.replace(/\/+$/, '')}`;
  } catch {
    // Not a URL: the doctor says so (login-url-invalid).
  }
  const assertion = lintRequest(request, now).assertion;
  if (assertion === undefined) return { login, why: 'is missing' };
  const decoded = decodeAssertion(assertion.trim());
  if (typeof decoded === 'string') return { login, why: decoded };
  const iss = decoded.payload['iss'];
  const sub = decoded.payload['prn'] ?? decoded.payload['sub'];
  const said = { login, ...(typeof iss === 'string' ? { iss } : {}), ...(typeof sub === 'string' ? { sub } : {}) };
  return typeof iss === 'string' && typeof sub === 'string' ? said : { ...said, why: `has no ${typeof iss === 'string' ? 'sub' : 'iss'} string` };
}

/** How long one request of the doctor (the token request, a probe, an evidence query) may take: a server that accepts and never answers is a root cause (timeout), not a hang. */
const DOCTOR_TIMEOUT_MS = 30_000;

const REQUEST_SHAPE = 'Give {"method":"POST","url":"…","headers":{"Content-Type":"…"},"body":"grant_type=…"}.';

/** A captured request: JSON of a known shape, read under the request cap and checked for nesting before use. */
function readRequest(path: string): CapturedRequest {
  const text = readInputText(path, { what: 'request file', maxBytes: INPUT_LIMITS.request });
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    // One line: JSON.parse quotes a little of the text, which may hold a line break.
    throw new UsageError(`${path} is not valid JSON: ${(cause as Error).message.replace(/\s+/g, ' ')}`, { actions: [REQUEST_SHAPE], cause });
  }
  const deep = tooDeepAt(json);
  if (deep !== undefined) {
    throw new UsageError(`${path}: ${deep.slice(0, 3).join('.') || 'the request'} is nested more than ${MAX_JSON_DEPTH} levels deep`, { actions: [REQUEST_SHAPE] });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new UsageError(`${path} holds ${Array.isArray(json) ? 'a list' : json === null ? 'null' : `a ${typeof json}`}, not a request object`, { actions: [REQUEST_SHAPE] });
  const r = json as Record<string, unknown>;
  if (typeof r['url'] !== 'string' || typeof r['method'] !== 'string') throw new UsageError(`${path} needs "method" and "url" strings`, { actions: [REQUEST_SHAPE] });
  // A tool that captured no headers or no body may write null for them.
  const headers = r['headers'] ?? {};
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) throw new UsageError(`${path}: "headers" must be an object of header names to strings`, { actions: [REQUEST_SHAPE] });
  const wrong = Object.entries(headers).find(([, v]) => typeof v !== 'string');
  if (wrong !== undefined) throw new UsageError(`${path}: the header ${JSON.stringify(wrong[0].slice(0, 60))} is not a string`, { actions: [REQUEST_SHAPE] });
  const body = r['body'] ?? undefined;
  if (body !== undefined && typeof body !== 'string') throw new UsageError(`${path}: "body" must be a string (the form body as sent)`, { actions: [REQUEST_SHAPE] });
  return { method: r['method'], url: r['url'], headers: headers as Record<string, string>, body };
}

/**
 * Where `--evidence` reads: "mock" (the admin API of the mock the login URL points at), or an instance
 * URL with the access token of a session the user has in SFJWT_EVIDENCE_TOKEN (not a flag: other local
 * users can read flags in the process list).
 */
async function evidenceSourceOf(value: string, input: DoctorInput, env: Record<string, string | undefined>): Promise<EvidenceSource> {
  if (value.startsWith('sf:')) return sfEvidenceSource(value.slice(3), input.fetch);
  if (value === 'mock') {
    let origin: string;
    try {
      origin = new URL(input.loginUrl).origin;
    } catch {
      throw new UsageError('--evidence mock reads the admin API of the mock at --login, which is not a URL', { actions: ["Give --login the mock's login URL (serve --json prints it as login)."] });
    }
    return mockEvidenceSource({ admin: `${origin}/__sfjwt`, fetch: input.fetch, user: input.username });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--evidence takes "mock", sf:<alias> or an instance URL, got "${value}"`, {
      actions: ['Against a real org: --evidence https://<domain>.my.salesforce.com with SFJWT_EVIDENCE_TOKEN set to an access token of a session you have (sf org display --target-org <alias>).'],
    });
  }
  const token = env['SFJWT_EVIDENCE_TOKEN'];
  if (token === undefined || token === '')
    throw new UsageError(`--evidence ${url.origin} needs the access token of a session of that org in SFJWT_EVIDENCE_TOKEN`, {
      actions: ['Take it from sf org display --target-org <alias> (Access Token) or your own login; never the credentials being diagnosed.'],
    });
  return restEvidenceSource({ instanceUrl: url.origin, accessToken: token, fetch: input.fetch });
}

export function formatDoctor(report: DoctorReport, c: Colours): string {
  const lines = [`answer: ${report.answer}`, ''];
  if (report.rootCause === null) lines.push(c.green(report.ok ? 'The setup works.' : 'No root cause found.'));
  else {
    const confidence = report.rootCause.confidence === undefined ? '' : `, ${report.rootCause.confidence}`;
    lines.push(c.bold(c.red(`Root cause: ${report.rootCause.title} (check: ${report.rootCause.check}${confidence})`)));
    for (const e of report.rootCause.evidence) lines.push(`  - ${e}`);
    lines.push(`  fix: ${report.rootCause.fix}`);
    if (report.rootCause.alternatives.length > 0) lines.push(c.dim(`  also possible: ${report.rootCause.alternatives.join(', ')}`));
    const q = report.rootCause.confirmWith;
    if (q !== undefined) lines.push(c.dim(`  to confirm it (--evidence, or as an admin): ${q.soql}\n    shows: ${q.showed}`));
  }
  if (report.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of report.findings) lines.push(`  ${f.severity.padEnd(7)} ${f.id} (${f.check}): ${f.title}\n          ${f.saw}\n          fix: ${f.fix}`);
  }
  if (report.probes.length > 0) {
    lines.push('', 'Probes:');
    for (const p of report.probes) lines.push(`  ${p.what}: ${p.answer}`);
  }
  if (report.evidence !== undefined) {
    lines.push('', `The org's evidence (${report.evidence.source}):`);
    for (const q of report.evidence.queries) lines.push(`  ${q.purpose}\n    ${q.soql}\n    → ${q.showed}`);
  }
  return lines.join('\n');
}

export async function doctor(ctx: CommandContext): Promise<number> {
  const { values } = parse(doctorSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const str = (k: string) => values[k as keyof typeof values] as string | undefined;
  // A path the user gave: relative to the context's folder.
  const file = (k: string) => inCwd(ctx, str(k) ?? '');
  let input: DoctorInput;
  if (str('from-serve') !== undefined) {
    if (str('target') !== undefined) throw new UsageError('--from-serve and --target are two sources: give one of them');
    const served = fromServe(ctx, str('from-serve') ?? '');
    const keyFile = str('key') === undefined ? served.keyFile : file('key');
    if (keyFile === undefined)
      throw new UsageError('the served mock runs a world file, whose keys sfjwt does not hold: give --key', { actions: ['--key FILE: the private key of the certificate on the app you diagnose.'] });
    const caFile = str('ca') === undefined ? served.caFile : file('ca');
    input = {
      loginUrl: str('login') ?? served.loginUrl ?? '',
      consumerKey: str('client-id') ?? served.iss ?? '',
      username: str('username') ?? served.sub ?? '',
      key: { data: read(keyFile, 'key file'), source: keyFile, passphrase: givenSecret(ctx, str('passphrase'), KEY_PASSPHRASE) },
      certificate: str('cert') === undefined ? undefined : { data: read(file('cert'), 'certificate file'), source: file('cert') },
      // The mock's login host plays login.salesforce.com: the assertion is for that.
      audience: str('audience') ?? served.aud,
      hosts: { login: str('other-login') ?? served.loginUrl, test: str('other-login') ?? served.testUrl },
      fetch: fetchTrusting(caFile === undefined ? null : read(caFile, 'CA file').toString('utf8'), { timeoutMs: DOCTOR_TIMEOUT_MS }),
      now: ctx.now,
    };
  } else if (str('target') !== undefined) {
    const name = str('target') ?? '';
    const config = name === 'env' ? targetFromEnv(ctx.env) : loadConfig(inCwd(ctx, str('config') ?? 'sfjwt.config.json'), ctx.env).find((t) => t.name === name);
    if (config === undefined) throw new UsageError(`no target "${name}"`, { actions: ['Targets come from sfjwt.config.json or the SFJWT_* variables (env).'] });
    const context = `target "${name}"`;
    input = {
      loginUrl: config.loginUrl,
      consumerKey: config.consumerKey,
      username: config.username,
      key: { data: read(config.keyFile, 'key file', context), source: config.keyFile, passphrase: config.passphrase },
      certificate: config.certificateFile === undefined ? undefined : { data: read(config.certificateFile, 'certificate file', context), source: config.certificateFile },
      audience: config.audience,
      hosts: { test: config.hosts.test },
      fetch: fetchTrusting(config.caFile === undefined ? null : read(config.caFile, 'CA file', context).toString('utf8'), { timeoutMs: DOCTOR_TIMEOUT_MS }),
      now: ctx.now,
    };
  } else {
    // A captured request answers --login, --client-id and --username; flags given win.
    const captured = str('request') === undefined ? undefined : readRequest(file('request'));
    const answered = captured === undefined ? undefined : answeredBy(captured, ctx.now());
    const given: Record<string, string | undefined> = {
      login: str('login') ?? answered?.login,
      'client-id': str('client-id') ?? answered?.iss,
      username: str('username') ?? answered?.sub,
    };
    if (captured === undefined) {
      const missing = ['login', 'client-id', 'username', 'key'].filter((k) => str(k) === undefined);
      if (missing.length > 0) throw new UsageError(`doctor needs --target, or ${missing.map((m) => `--${m}`).join(', ')}`, { actions: [`Usage: ${doctorSpec.usage}`] });
    } else if (str('key') !== undefined) {
      // With the key the doctor re-signs the request for its probes: it needs the client id and username.
      const missing = ['client-id', 'username'].filter((k) => given[k] === undefined);
      if (missing.length > 0)
        throw new UsageError(`doctor --request with --key needs ${missing.map((m) => `--${m}`).join(' and ')}: the request's assertion ${answered?.why ?? 'does not say them'}`, {
          actions: [`Give ${missing.map((m) => `--${m}`).join(' and ')}, or leave out --key to diagnose the request as sent.`],
        });
    }
    input = {
      loginUrl: given['login'] ?? '',
      consumerKey: given['client-id'] ?? '',
      username: given['username'] ?? '',
      key: str('key') === undefined ? undefined : { data: read(file('key'), 'key file'), source: file('key'), passphrase: givenSecret(ctx, str('passphrase'), KEY_PASSPHRASE) },
      certificate: str('cert') === undefined ? undefined : { data: read(file('cert'), 'certificate file'), source: file('cert') },
      audience: str('audience'),
      hosts: { login: str('other-login'), test: str('other-login') },
      fetch: fetchTrusting(str('ca') === undefined ? null : read(file('ca'), 'CA file').toString('utf8'), { timeoutMs: DOCTOR_TIMEOUT_MS }),
      now: ctx.now,
    };
  }
  if (str('request') !== undefined) input.request ??= readRequest(file('request'));
  const evidenceSource = str('evidence') === undefined ? undefined : await evidenceSourceOf(str('evidence') ?? '', input, ctx.env);
  const attemptAt = ctx.now();
  const diagnosed = await runDoctor(input);
  // The org's records speak to an answer Salesforce gave: with none (nothing sent, no answer) or a working setup there is nothing to weigh.
  const answered = /^\d/.test(diagnosed.answer) && !diagnosed.ok;
  const report =
    evidenceSource === undefined || !answered
      ? withoutEvidence(diagnosed, input.username)
      : weighEvidence(diagnosed, await gatherEvidence(evidenceSource, { username: input.username, at: attemptAt, app: str('app'), consumerKey: input.consumerKey }), { username: input.username });
  ctx.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : `${formatDoctor(report, colours(ctx.stdout, ctx.env))}\n`);
  return report.ok ? 0 : 1;
}
