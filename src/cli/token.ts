/**
 * `sfjwt token`: the JWT Bearer flow, once: an assertion made as `sign` makes it, posted to the
 * token endpoint of a login URL, a My Domain or the mock, and Salesforce's answer shown. A token
 * answer shows its fields with the access token redacted to its org Id (whole with --show-token);
 * an error answer shows Salesforce's error, what it means and the explain command (exit code 1).
 * Anything but the mock on loopback is a real org and gets the real-org target's transport rule:
 * HTTPS only, refused before a byte is sent otherwise.
 */
import { UsageError } from '../../lib/errors.ts';
import { INPUT_LIMITS, readInputText } from '../../lib/read-input-file.ts';
import { redactToken } from '../../lib/redact-token.ts';
import { signAssertion } from '../client/assertion.ts';
import { buildRequestStep, type RequestContext } from '../client/build-request.ts';
import { type FetchLike, fetchTrusting } from '../client/https-fetch.ts';
import { sendRequest } from '../client/send.ts';
import { answerHint } from '../diagnose/explain.ts';
import type { ResolvedTargetConfig } from '../runner/config.ts';
import { realTarget } from '../runner/real-target.ts';
import { type CommandSpec, colours, parse } from './args.ts';
import { ASSERTION_HELP, ASSERTION_OPTIONS, type AssertionInput, assertionInput, hostOption } from './assertion-input.ts';
import { type CommandContext, inCwd } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const tokenSpec = {
  name: 'token',
  summary: SUMMARIES.token,
  usage: "npx sfjwt token [--url URL] [sign's flags: --iss KEY --sub USERNAME --key FILE … | --config FILE --target NAME | --from-serve FILE] [--ca FILE] [--show-token] [--json]",
  options: { ...ASSERTION_OPTIONS, url: { type: 'string' }, ca: { type: 'string' }, 'show-token': { type: 'boolean' }, json: { type: 'boolean' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${tokenSpec.usage}

${tokenSpec.summary}.
  --url URL            where to post: https://login.salesforce.com, https://test.salesforce.com, a
                       My Domain, a site, or the mock; /services/oauth2/token is added (default: the
                       --host, the target's loginUrl, or the served mock's login URL)
  --ca FILE            an extra CA to trust (the mock's: .sfjwt/tls/ca.crt; --from-serve knows it)
  --show-token         print the access token whole: it is a live session, keep it secret
  --json               {status, url, body, meaning?, explain?} on one line
${ASSERTION_HELP}

The access token is shown redacted to its org Id unless --show-token is given. Plain http:// goes
only to loopback (127.0.0.1, localhost: the mock); anything else is a real org, sent HTTPS only.
Exit code 0: a token; 1: an error answer (or no answer); 2: usage errors, or a URL refused.

Examples:
  npx sfjwt token --from-serve .sfjwt/ready.json
  npx sfjwt token --url https://acme.my.salesforce.com --iss 3MVG9… --sub integration@acme.com --key server.key
  npx sfjwt token --config sfjwt.config.json --target uat --json`;

/** The fields of an answer that are shown, in this order; nothing else of a body is printed. */
const SHOWN = ['access_token', 'instance_url', 'id', 'token_type', 'scope', 'issued_at', 'error', 'error_description'] as const;

/** What to do when nothing answered, by the network error. */
const NO_ANSWER_HINTS: readonly [RegExp, string][] = [
  [/ECONNREFUSED/, 'Nothing listens there: check the URL and port (npx sfjwt serve starts the mock and prints its URLs).'],
  [/ENOTFOUND|EAI_AGAIN/, 'The host name does not resolve: check the URL (a My Domain is https://<domain>.my.salesforce.com).'],
  [/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/, "The server's certificate is not trusted here: give --ca FILE with the CA that issued it (the mock's: .sfjwt/tls/ca.crt)."],
];

/** The mock on this machine, the one place plain http may go. */
function isLoopback(url: URL): boolean {
  const h = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function parseUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--url takes an http:// or https:// URL, got "${value}"`, { actions: ['For example --url https://login.salesforce.com or --url https://acme.my.salesforce.com.'] });
  }
  return url;
}

/**
 * How the request is sent: straight to the mock on loopback, else through the real-org target's
 * fetch, which refuses anything but HTTPS. A probe target whose fetch sends nothing asks that rule
 * first, so a refused URL ends the command as a usage error before the request is made at all.
 */
function sender(ctx: CommandContext, url: URL, input: AssertionInput, ca: string | undefined): Promise<FetchLike> | FetchLike {
  if (isLoopback(url)) return fetchTrusting(ca === undefined ? null : readInputText(ca, { what: 'CA file', maxBytes: INPUT_LIMITS.keyMaterial }));
  const config: ResolvedTargetConfig = {
    name: 'token',
    loginUrl: url.origin,
    hosts: {},
    consumerKey: String(input.claims['iss'] ?? ''),
    consumerSecret: undefined,
    username: String(input.claims['sub'] ?? ''),
    keyFile: input.keyFile,
    passphrase: input.passphrase,
    ...(ca === undefined ? {} : { caFile: ca }),
    users: {},
    allowNegative: false,
    budget: 1,
    delayMs: 0,
    maxFailuresPerUser: 1,
  };
  const probe = realTarget(config, { now: ctx.now, fetch: async () => new Response(null) });
  return probe.fetch(url.href).then(
    () => realTarget(config, { now: ctx.now }).fetch,
    (error: unknown) => {
      if (error instanceof TypeError && error.message.startsWith('not sent:')) {
        throw new UsageError(error.message, { actions: ['Real orgs take HTTPS only: use https://. Plain http is for the mock on this machine (npx sfjwt serve --http).'] });
      }
      throw error;
    },
  );
}

export async function token(ctx: CommandContext): Promise<number> {
  const { values } = parse(tokenSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const urlFlag = values.url as string | undefined;
  const hasSource = values['from-serve'] !== undefined || values.config !== undefined || values.target !== undefined;
  if (urlFlag === undefined && values.host === undefined && !hasSource) {
    throw new UsageError('token needs --url (where to post: a login URL, a My Domain or the mock), or --host, a config target or --from-serve', {
      actions: ['For example --url https://login.salesforce.com, or --from-serve FILE for a mock started with npx sfjwt serve --json.'],
    });
  }
  if (urlFlag !== undefined) parseUrl(urlFlag);
  if (values.host !== undefined) hostOption(values.host as string);
  const input = await assertionInput(ctx, values, 'token', urlFlag);
  const url = parseUrl(input.loginUrl ?? '');
  const ca = values.ca === undefined ? input.caFile : inCwd(ctx, values.ca as string);
  const fetch = await sender(ctx, url, input, ca);

  const assertion = await signAssertion(input.claims, input.key);
  const base = url.href
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\/services\/oauth2\/token$/, '');
  const requestCtx: RequestContext = {
    consumerKey: String(input.claims['iss'] ?? ''),
    username: String(input.claims['sub'] ?? ''),
    privateKey: input.key,
    hostUrl: () => base,
    realUrl: () => base,
    usernameOf: () => undefined,
    host: 'login',
    audience: String(input.claims['aud'] ?? ''),
    now: ctx.now(),
  };
  const request = { ...buildRequestStep(assertion, requestCtx, []), claims: input.claims, header: { alg: 'RS256' } };
  // The body as received, for the fields TokenAnswer does not keep (token_type, issued_at).
  let text = '';
  const answer = await sendRequest(request, async (i, init) => {
    const res = await fetch(i, init);
    text = await res.clone().text();
    return res;
  });
  return show(ctx, { url: request.url, answer, text, showToken: values['show-token'] === true, json: values.json === true });
}

interface Shown {
  url: string;
  answer: Awaited<ReturnType<typeof sendRequest>>;
  text: string;
  showToken: boolean;
  json: boolean;
}

function fields(text: string, showToken: boolean): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const body = parsed as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of SHOWN) {
    const v = body[k];
    if (v === undefined) continue;
    out[k] = k === 'access_token' && !showToken ? (typeof v === 'string' ? redactToken(v) : '[redacted]') : v;
  }
  return out;
}

function show(ctx: CommandContext, s: Shown): number {
  const { answer } = s;
  if (answer.status === 0) {
    const why = answer.networkError ?? 'no answer';
    const next = NO_ANSWER_HINTS.find(([pattern]) => pattern.test(why))?.[1];
    ctx.stdout.write(s.json ? `${JSON.stringify({ status: 0, url: s.url, networkError: why })}\n` : `no answer from ${s.url}: ${why}\n${next === undefined ? '' : `${next}\n`}`);
    return 1;
  }
  const body = fields(s.text, s.showToken);
  const hint = answer.ok ? undefined : answerHint({ status: answer.status, error: answer.error, description: answer.errorDescription });
  if (s.json) {
    const title = answer.bodyKind === 'html' ? /<title>([^<]*)<\/title>/i.exec(s.text)?.[1] : undefined;
    ctx.stdout.write(
      `${JSON.stringify({
        status: answer.status,
        url: s.url,
        body,
        ...(body === null ? { bodyKind: answer.bodyKind } : {}),
        ...(title === undefined ? {} : { title }),
        ...(answer.location === undefined ? {} : { location: answer.location }),
        ...(hint === undefined ? {} : hint),
      })}\n`,
    );
    return answer.ok ? 0 : 1;
  }
  const c = colours(ctx.stdout, ctx.env);
  const lines: string[] = [];
  const head = `HTTP ${answer.status} from ${s.url}`;
  if (body !== null) lines.push(answer.ok ? c.green(head) : c.red(head), JSON.stringify(body, null, 2));
  else if (answer.bodyKind === 'html') lines.push(`${c.red(head)}: an HTML page${htmlTitle(s.text)}, not JSON`);
  else if (answer.location !== undefined) lines.push(`${c.red(head)}: a redirect to ${answer.location}`);
  else lines.push(`${c.red(head)}: ${answer.bodyKind === 'none' ? 'an empty body' : `the text ${JSON.stringify(s.text.slice(0, 200))}`}`);
  if (answer.ok) {
    if (!s.showToken) lines.push(c.dim('The access token is shown redacted (its org Id kept): --show-token prints it whole.'));
  } else if (hint !== undefined) {
    lines.push('', `What it means: ${hint.meaning}`, `Every cause, and how to tell them apart: ${hint.explain}`);
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return answer.ok ? 0 : 1;
}

function htmlTitle(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title === undefined || title === '' ? '' : ` (${JSON.stringify(title)})`;
}
