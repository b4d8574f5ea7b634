/**
 * Real orgs as targets, described in `sfjwt.config.json` (with a JSON Schema for editors) or in
 * SFJWT_* environment variables. Secrets may be `{"env": "NAME"}` so the file can be committed.
 * A config with a mistake gets a ConfigError naming the file, the field and what to do.
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { SfjwtError } from '../../lib/errors.ts';
import { INPUT_LIMITS, tryReadInputFile } from '../../lib/read-input-file.ts';
import { expectedWords, issueMessage } from '../../lib/zod-message.ts';

export class ConfigError extends SfjwtError {
  override readonly code = 'ERR_CONFIG';
}

const Secret = z.union([z.string().min(1), z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'expected an environment variable name such as SFJWT_PASSPHRASE' }) })]);
const Url = z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'expected a URL such as https://login.salesforce.com' });

export const TargetConfigSchema = z.strictObject({
  /** Where the token request goes: https://login.salesforce.com, https://test.salesforce.com or a My Domain. */
  loginUrl: Url,
  /** Other host roles of this org: test, my-domain, site, lightning (base URLs). */
  hosts: z.strictObject({ test: Url.optional(), 'my-domain': Url.optional(), 'sandbox-my-domain': Url.optional(), site: Url.optional(), lightning: Url.optional() }).default({}),
  /** `aud` for the baseline request; by default https://test.salesforce.com for a sandbox, else https://login.salesforce.com. */
  audience: z.string().min(1).optional(),
  /** A sandbox (the default audience is then test.salesforce.com); guessed from loginUrl when absent. */
  sandbox: z.boolean().optional(),
  consumerKey: Secret,
  consumerSecret: Secret.optional(),
  appName: z.string().min(1).optional(),
  username: z.string().min(1),
  /** Private key file (PEM, encrypted PEM, DER, PKCS#12 or JKS), relative to the config file. */
  keyFile: z.string().min(1),
  passphrase: Secret.optional(),
  certificateFile: z.string().min(1).optional(),
  /** Extra CA certificate to trust (a proxy, or the sfjwt mock's local CA). */
  caFile: z.string().min(1).optional(),
  /** Usernames for other user roles: unapproved, not-admitted, inactive, frozen, ip-restricted, sandbox, locked-org. */
  users: z.partialRecord(z.enum(['unapproved', 'not-admitted', 'inactive', 'frozen', 'ip-restricted', 'sandbox', 'locked-org']), z.string().min(1)).default({}),
  /** Negative scenarios (expected failures) run only when this is true. */
  allowNegative: z.boolean().default(false),
  /** Most token requests in one run. */
  budget: z.int().min(1).max(1000).default(20),
  /** Pause between requests, in milliseconds. */
  delayMs: z.int().min(0).max(600_000).default(1000),
  /** Most failed logins per user in one run (Salesforce locks users out after repeated failures). */
  maxFailuresPerUser: z.int().min(1).max(10).default(3),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  targets: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), TargetConfigSchema),
});

export type TargetConfig = z.infer<typeof TargetConfigSchema>;

/** A target config with secrets read and paths made absolute. */
export interface ResolvedTargetConfig extends Omit<TargetConfig, 'consumerKey' | 'consumerSecret' | 'passphrase'> {
  name: string;
  consumerKey: string;
  consumerSecret: string | undefined;
  passphrase: string | undefined;
}

function secret(value: z.infer<typeof Secret> | undefined, field: string, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const v = env[value.env];
  if (v === undefined || v === '')
    throw new ConfigError(`${field} reads the environment variable ${value.env}, which is not set`, { actions: [`Set ${value.env}, or write the value in the config.`] });
  return v;
}

export function resolveTarget(name: string, config: TargetConfig, baseDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedTargetConfig {
  const at = (f: string) => `targets.${name}.${f}`;
  const path = (p: string | undefined) => (p === undefined ? undefined : resolve(baseDir, p));
  const resolved: ResolvedTargetConfig = {
    ...config,
    name,
    consumerKey: secret(config.consumerKey, at('consumerKey'), env) ?? '',
    consumerSecret: secret(config.consumerSecret, at('consumerSecret'), env),
    passphrase: secret(config.passphrase, at('passphrase'), env),
    keyFile: path(config.keyFile) ?? '',
  };
  const cert = path(config.certificateFile);
  if (cert !== undefined) resolved.certificateFile = cert;
  const ca = path(config.caFile);
  if (ca !== undefined) resolved.caFile = ca;
  return resolved;
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): ResolvedTargetConfig[] {
  const actions = ['See sfjwt.config.example.json and the README section "Real orgs".'];
  // A regular file of at most 1 MiB: a FIFO or a device given as --config would hang or grow.
  const read = tryReadInputFile(file, { maxBytes: INPUT_LIMITS.config });
  if (!('data' in read)) throw new ConfigError(`cannot read the config file ${file}: ${read.reason}`, { actions, cause: read.cause });
  let json: unknown;
  try {
    json = JSON.parse(read.data.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new ConfigError(`${file} is not valid JSON: ${(cause as Error).message}`, { actions, cause });
  }
  const parsed = ConfigSchema.safeParse(json);
  if (!parsed.success) {
    // A secret written in the file is never echoed back, not even a wrong one.
    const shown = (i: z.core.$ZodIssue) => (i.path.some((k) => k === 'consumerSecret' || k === 'passphrase') ? `${expectedWords(i)} (the value is not shown: a secret)` : issueMessage(i, json));
    const lines = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(the config)'}: ${shown(i)}`);
    throw new ConfigError(`${file} is not a valid sfjwt config:\n${lines.join('\n')}`, { actions: ['Fix the fields named above; sfjwt.config.schema.json describes every field.'] });
  }
  return Object.entries(parsed.data.targets).map(([name, t]) => resolveTarget(name, t, dirname(resolve(file)), env));
}

/** A target from SFJWT_* environment variables (named "env"), or undefined when SFJWT_LOGIN_URL is unset. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): ResolvedTargetConfig | undefined {
  if (env['SFJWT_LOGIN_URL'] === undefined) return undefined;
  const raw: Record<string, unknown> = {
    loginUrl: env['SFJWT_LOGIN_URL'],
    consumerKey: env['SFJWT_CLIENT_ID'],
    username: env['SFJWT_USERNAME'],
    keyFile: env['SFJWT_KEY_FILE'],
    ...(env['SFJWT_PASSPHRASE'] === undefined ? {} : { passphrase: env['SFJWT_PASSPHRASE'] }),
    ...(env['SFJWT_AUDIENCE'] === undefined ? {} : { audience: env['SFJWT_AUDIENCE'] }),
    ...(env['SFJWT_CA_FILE'] === undefined ? {} : { caFile: env['SFJWT_CA_FILE'] }),
    ...(env['SFJWT_MY_DOMAIN_URL'] === undefined ? {} : { hosts: { 'my-domain': env['SFJWT_MY_DOMAIN_URL'] } }),
    allowNegative: env['SFJWT_ALLOW_NEGATIVE'] === 'true',
  };
  const parsed = TargetConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const names: Record<string, string> = { loginUrl: 'SFJWT_LOGIN_URL', consumerKey: 'SFJWT_CLIENT_ID', username: 'SFJWT_USERNAME', keyFile: 'SFJWT_KEY_FILE' };
    // What belongs there, never what is there: a variable may hold a secret.
    const lines = parsed.error.issues.map((i) => `  ${names[String(i.path[0])] ?? String(i.path[0])}: ${raw[String(i.path[0])] === undefined ? 'not set' : expectedWords(i)}`);
    throw new ConfigError(`the SFJWT_* environment variables do not describe a target:\n${lines.join('\n')}`, {
      actions: ['Set SFJWT_LOGIN_URL, SFJWT_CLIENT_ID, SFJWT_USERNAME and SFJWT_KEY_FILE (and SFJWT_PASSPHRASE for an encrypted key).'],
    });
  }
  return resolveTarget('env', parsed.data, process.cwd(), env);
}

/** The JSON Schema of sfjwt.config.json, for editors. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(ConfigSchema, { io: 'input' });
}
