/**
 * What `sign` and `token` make an assertion of: iss, sub, aud, exp, extra claims and the private
 * key, from flags, from a target of sfjwt.config.json (read as `run` reads it), or from the line a
 * served mock printed (`serve --json`, `--ready-file`), the flags overriding what a source gives.
 * It also says where the assertion goes (the login URL, for `token`) and which Salesforce host it
 * is meant for (for the lint's aud check). The key is loaded with lib's loader, in any form `keys
 * check` reads; a passphrase comes from --passphrase, the source, SFJWT_KEY_PASSPHRASE or the
 * terminal, as for the keys commands, and is asked only when the key needs one.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { UsageError } from '../../lib/errors.ts';
import { KeyLoadError, loadPrivateKey } from '../../lib/pki/load.ts';
import { INPUT_LIMITS, readInputFile } from '../../lib/read-input-file.ts';
import { isSalesforceHost, isSandboxHost, LOGIN_HOST, LOGIN_URL, loginUrlOf, TEST_HOST, TEST_URL } from '../../lib/salesforce-hosts.ts';
import { readServeLine } from '../../lib/serve-line.ts';
import { buildClaims } from '../client/assertion.ts';
import { hostName } from '../diagnose/inspect.ts';
import { loadConfig, type ResolvedTargetConfig, targetFromEnv } from '../runner/config.ts';
import { type CommandContext, inCwd } from './context.ts';
import { givenSecret, KEY_PASSPHRASE, secretOrAsk } from './passphrases.ts';

export const ASSERTION_OPTIONS = {
  iss: { type: 'string' },
  'consumer-key': { type: 'string' },
  sub: { type: 'string' },
  username: { type: 'string' },
  aud: { type: 'string' },
  host: { type: 'string' },
  exp: { type: 'string' },
  lifetime: { type: 'string' },
  claim: { type: 'string', multiple: true },
  key: { type: 'string' },
  passphrase: { type: 'string' },
  config: { type: 'string' },
  target: { type: 'string' },
  'from-serve': { type: 'string' },
} as const;

/** The flags above, as both commands' help lists them. */
export const ASSERTION_HELP = `  --iss KEY, --consumer-key KEY
                       the connected app's consumer key (3MVG9…)
  --sub U, --username U
                       the integration user's username
  --key FILE           the private key (PEM, encrypted PEM, DER, PKCS#12 or JKS)
  --passphrase P       the key's passphrase [SFJWT_KEY_PASSPHRASE]; asked without echo on a terminal
                       when the key needs one and none is given
  --host H             login, test or a My Domain URL: the host the assertion is for, which the lint
                       checks aud against; sets aud to https://login.salesforce.com,
                       https://test.salesforce.com or that URL (unless --aud is given)
  --aud URL            aud itself (default: login, or test for a sandbox login URL)
  --lifetime T         exp = now + T: seconds, or 90s, 3m, 1h (default 3m)
  --exp S              exp itself, in seconds since the epoch
  --claim NAME=VALUE   another claim, or a claim changed (repeatable); VALUE is read as JSON when it
                       is JSON (42, true, "x"), else as text
  --config FILE --target NAME
                       iss, sub, the login URL and the key of a target of the config file (default
                       sfjwt.config.json); --target env takes the SFJWT_* variables
  --from-serve FILE    the default app, user and key of a mock started with npx sfjwt serve --json
                       (its line saved to FILE, or --ready-file FILE)`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface AssertionInput {
  claims: Record<string, unknown>;
  key: KeyObject;
  /** Where the token request goes: --url, else --host, else the source's login URL. */
  loginUrl: string | undefined;
  /** The Salesforce host the assertion is for (login.salesforce.com, a My Domain), for the lint's aud check. */
  lintHost: string | undefined;
  /** An extra CA to trust (the config's caFile, or the served mock's CA). */
  caFile: string | undefined;
  /** The key file and passphrase that opened it (for a target that reads the key itself). */
  keyFile: string;
  passphrase: string | undefined;
}

/** What a config target or a served mock gives; every field may be overridden by a flag. */
export interface Source {
  iss?: string | undefined;
  sub?: string | undefined;
  aud?: string | undefined;
  lintHost?: string | undefined;
  loginUrl?: string | undefined;
  keyFile?: string | undefined;
  passphrase?: string | undefined;
  caFile?: string | undefined;
  /** A served mock's test.salesforce.com, for the doctor's probe of the other environment. */
  testUrl?: string | undefined;
}

const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

/** One value from a flag and its alias (--iss, --consumer-key): the same when both are given. */
function either(values: Values, a: string, b: string): string | undefined {
  const x = str(values, a);
  const y = str(values, b);
  if (x !== undefined && y !== undefined && x !== y) throw new UsageError(`--${a} and --${b} are the same claim and differ: give one of them`);
  return x ?? y;
}

/** `--host login|test|URL`: the aud it means, the host the lint checks it against, the URL to post to. */
export function hostOption(value: string): { aud: string; host: string; url: string } {
  const v = value.trim();
  if (v.toLowerCase() === 'login') return { aud: LOGIN_URL, host: LOGIN_HOST, url: LOGIN_URL };
  if (v.toLowerCase() === 'test') return { aud: TEST_URL, host: TEST_HOST, url: TEST_URL };
  const host = hostName(v);
  if (host === undefined || !host.includes('.')) {
    throw new UsageError(`--host takes login, test or a My Domain URL, got "${value}"`, { actions: ['For example --host login, --host test or --host https://acme.my.salesforce.com.'] });
  }
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`).origin;
  return { aud: url, host, url };
}

/** `--lifetime`: whole seconds, or a number of s, m or h; more than nothing. */
function lifetimeSeconds(value: string): number {
  const m = /^(\d{1,9})(s|m|h)?$/.exec(value.trim());
  const n = m === null ? 0 : Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  if (n <= 0)
    throw new UsageError(`--lifetime takes seconds or a duration such as 90s, 3m or 1h, got "${value}"`, { actions: ['Salesforce wants exp within a few minutes: 3m is the usual lifetime.'] });
  return n;
}

function expSeconds(value: string): number {
  if (!/^\d{1,15}$/.test(value.trim()))
    throw new UsageError(`--exp takes whole seconds since the epoch (such as 1772366580), got "${value}"`, { actions: ['Or give --lifetime 3m for exp = now + 3 minutes.'] });
  return Number(value.trim());
}

/** `--claim NAME=VALUE`, the value as JSON when it is JSON (42, true, "x", {"a":1}), else as text. */
function claimPair(pair: string): [string, unknown] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UsageError(`--claim takes NAME=VALUE, got "${pair}"`, { actions: ['For example --claim scope=api or --claim n=5 (JSON) or --claim \'list=["a","b"]\'.'] });
  const raw = pair.slice(eq + 1);
  try {
    return [pair.slice(0, eq), JSON.parse(raw)];
  } catch {
    return [pair.slice(0, eq), raw];
  }
}

/** Sets an own property, also for a name such as `__proto__` (which `o[k] = v` would take as the prototype). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** The part of `serve --json`'s line a client needs; the line holds more, which is not read. */
const ServeLine = z.object({
  login: z.string().regex(/^https?:\/\/\S+$/, { message: 'expected the base URL of the mock, such as http://127.0.0.1:8443' }),
  test: z.string().optional(),
  ca: z.string().min(1).nullable().optional(),
  consumerKey: z.string().min(1),
  username: z.string().min(1),
  privateKeyFile: z.string().min(1).nullable().optional(),
});

const SERVE_ACTIONS = ['Give the line npx sfjwt serve --json prints, saved to a file (or the file of serve --ready-file FILE).'];

/** The default app, user, key and CA of a mock started with serve --json, from the line saved in `file`. */
export function fromServe(ctx: CommandContext, file: string): Source {
  const line = readServeLine(inCwd(ctx, file), ServeLine, SERVE_ACTIONS);
  // The mock's login host plays login.salesforce.com: the assertion is for that.
  return {
    iss: line.consumerKey,
    sub: line.username,
    aud: LOGIN_URL,
    lintHost: LOGIN_HOST,
    loginUrl: line.login,
    keyFile: line.privateKeyFile ?? undefined,
    caFile: line.ca ?? undefined,
    testUrl: line.test,
  };
}

function fromConfig(ctx: CommandContext, file: string | undefined, name: string | undefined): Source {
  let target: ResolvedTargetConfig | undefined;
  if (name === 'env') {
    target = targetFromEnv(ctx.env);
    if (target === undefined)
      throw new UsageError('--target env reads the SFJWT_* variables, and SFJWT_LOGIN_URL is not set', { actions: ['Set SFJWT_LOGIN_URL, SFJWT_CLIENT_ID, SFJWT_USERNAME and SFJWT_KEY_FILE.'] });
  } else {
    const path = inCwd(ctx, file ?? 'sfjwt.config.json');
    const targets = loadConfig(path, ctx.env);
    const names = targets.map((t) => t.name);
    if (name === undefined && targets.length !== 1) throw new UsageError(`${path} has ${targets.length} targets: --target NAME says which`, { actions: [`Targets: ${names.join(', ')}.`] });
    target = name === undefined ? targets[0] : targets.find((t) => t.name === name);
    if (target === undefined) throw new UsageError(`${path} has no target "${name ?? ''}"`, { actions: [`Targets: ${names.join(', ') || '(none)'}.`] });
  }
  const loginHost = hostName(target.loginUrl);
  const sandbox = target.sandbox ?? isSandboxHost(target.loginUrl);
  return {
    iss: target.consumerKey,
    sub: target.username,
    aud: target.audience ?? loginUrlOf(sandbox),
    lintHost: loginHost !== undefined && isSalesforceHost(loginHost) ? loginHost : undefined,
    loginUrl: target.loginUrl,
    keyFile: target.keyFile,
    passphrase: target.passphrase,
    caFile: target.caFile,
  };
}

function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** The private key of `path`: the passphrase given, else SFJWT_KEY_PASSPHRASE, else asked (only when the key needs one). */
async function loadKey(ctx: CommandContext, path: string, given: string | undefined): Promise<{ key: KeyObject; passphrase: string | undefined }> {
  const data = readInputFile(path, { what: 'key file', maxBytes: INPUT_LIMITS.keyMaterial });
  const first = givenSecret(ctx, given, KEY_PASSPHRASE);
  try {
    return { key: loadPrivateKey(data, { passphrase: first, source: path }).key, passphrase: first };
  } catch (error) {
    if (!(error instanceof KeyLoadError) || error.reason !== 'needs-passphrase') throw error;
    const asked = await secretOrAsk(ctx, undefined, KEY_PASSPHRASE, `Passphrase of ${path}`);
    if (asked === undefined) throw error;
    return { key: loadPrivateKey(data, { passphrase: asked, source: path }).key, passphrase: asked };
  }
}

/** The assertion's claims and key, and where it goes, for the command `command` (sign or token). */
export async function assertionInput(ctx: CommandContext, values: Values, command: string, url?: string): Promise<AssertionInput> {
  const serveFile = str(values, 'from-serve');
  const configFile = str(values, 'config');
  const targetName = str(values, 'target');
  if (serveFile !== undefined && (configFile !== undefined || targetName !== undefined)) {
    throw new UsageError('--from-serve and --config/--target are two sources: give one of them');
  }
  const source: Source = serveFile !== undefined ? fromServe(ctx, serveFile) : configFile !== undefined || targetName !== undefined ? fromConfig(ctx, configFile, targetName) : {};

  const iss = either(values, 'iss', 'consumer-key') ?? source.iss;
  const sub = either(values, 'sub', 'username') ?? source.sub;
  const keyFlag = str(values, 'key');
  const keyFile = keyFlag === undefined ? source.keyFile : inCwd(ctx, keyFlag);
  const missing = [
    ...(iss === undefined ? ['--iss (the consumer key)'] : []),
    ...(sub === undefined ? ['--sub (the username)'] : []),
    ...(keyFile === undefined ? ['--key (the private key file)'] : []),
  ];
  if (missing.length > 0) {
    throw new UsageError(`${command} needs ${list(missing)}`, {
      actions: [`Or take them from a config target (--config FILE --target NAME) or a served mock (--from-serve FILE); npx sfjwt ${command} --help shows every flag.`],
    });
  }

  const audFlag = str(values, 'aud');
  const hostFlag = str(values, 'host');
  const host = hostFlag === undefined ? undefined : hostOption(hostFlag);
  const loginUrl = url ?? host?.url ?? source.loginUrl;
  const urlHost = loginUrl === undefined ? undefined : hostName(loginUrl);
  const realHost = urlHost !== undefined && isSalesforceHost(urlHost) ? urlHost : undefined;
  // A --url of a real org without a word on aud: its environment's login URL, as a careful client
  // sends (a My Domain takes login or test too); else what the source says, else production.
  const fromUrl = url !== undefined && realHost !== undefined ? loginUrlOf(isSandboxHost(realHost)) : undefined;
  const aud = audFlag ?? host?.aud ?? fromUrl ?? source.aud ?? LOGIN_URL;

  const expFlag = str(values, 'exp');
  const lifetimeFlag = str(values, 'lifetime');
  if (expFlag !== undefined && lifetimeFlag !== undefined) throw new UsageError('--exp and --lifetime both set exp: give one of them');
  const claims = buildClaims({ consumerKey: iss ?? '', username: sub ?? '', audience: aud, now: ctx.now(), lifetimeSeconds: lifetimeFlag === undefined ? 180 : lifetimeSeconds(lifetimeFlag) });
  if (expFlag !== undefined) claims['exp'] = expSeconds(expFlag);
  const pairs = values['claim'];
  for (const pair of Array.isArray(pairs) ? pairs : []) {
    const [name, value] = claimPair(String(pair));
    setOwn(claims, name, value);
  }

  const path = keyFile ?? '';
  const { key, passphrase } = await loadKey(ctx, path, str(values, 'passphrase') ?? source.passphrase);
  return { claims, key, loginUrl, lintHost: host?.host ?? realHost ?? source.lintHost, caFile: source.caFile, keyFile: path, passphrase };
}
