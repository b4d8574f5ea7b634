/**
 * `sfjwt serve`: the mock org as HTTPS (or HTTP) servers on loopback, one port per logical host,
 * until Ctrl-C. The ports are a block from 8443 on unless --port says otherwise, the same on every
 * start so that a client's settings (login URL, audience) stay put; --port 0 takes free ports. With
 * --json it prints one JSON line once listening, for scripts and containers. A
 * container is configured through the environment, so SFJWT_WORLD, SFJWT_SEED, SFJWT_TLS,
 * SFJWT_STRICT, SFJWT_PORT, SFJWT_BIND, SFJWT_READY_FILE and SFJWT_ADMIN_TOKEN are the defaults of the matching flags
 * (a flag wins), as SFJWT_HOME is of --state-dir everywhere. It runs until the context's signal is
 * aborted or, when it has none, until the process gets SIGINT or SIGTERM.
 */
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { describeStarted } from '../../mock-server/adapters/serve-description.ts';
import { checkAdminToken } from '../../mock-server/admin/protection.ts';
import { KNOBS, type KnobChanges, knobProblem } from '../../mock-server/core/knobs.ts';
import { formatWorldWarnings, worldWarnings } from '../../mock-server/world/validate-world.ts';
import { type Colours, type CommandSpec, colours, intOption, parse, table } from './args.ts';
import { DEFAULT_READY_FILE, detachServe } from './background.ts';
import { type CommandContext, type Env, inCwd, stateDir } from './context.ts';
import { ReadyFile } from './ready-file.ts';
import { SUMMARIES } from './summaries.ts';

/**
 * Port of the login host when no --port is given; the other hosts take the next ones. 8443 is the
 * container image's default too (container/Dockerfile), so a client's settings are the same for
 * `npx sfjwt serve` and `docker run -p 8443-8451:8443-8451`.
 */
export const DEFAULT_PORT = 8443;
/** The ports the default world takes, one per logical host (src/cli/serve-ports.test.ts keeps it true). */
export const DEFAULT_WORLD_PORTS = 9;
const range = (first: number, count: number) => `${first} to ${first + count - 1}`;

const serveSpec = {
  name: 'serve',
  summary: SUMMARIES.serve,
  usage:
    'npx sfjwt serve [--port N] [--bind ADDR] [--http] [--require-tls] [--world FILE] [--seed N] [--fixtures DIR] [--strict] [--json] [--ready-file FILE] [--detach] [--admin-token T | --no-admin-token] [--state-dir DIR]',
  options: {
    port: { type: 'string' },
    bind: { type: 'string' },
    http: { type: 'boolean' },
    'require-tls': { type: 'boolean' },
    world: { type: 'string' },
    seed: { type: 'string' },
    fixtures: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
    'ready-file': { type: 'string' },
    detach: { type: 'boolean' },
    'admin-token': { type: 'string' },
    'no-admin-token': { type: 'boolean' },
    'state-dir': { type: 'string' },
    knob: { type: 'string', multiple: true },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${serveSpec.usage}

Serves the mock org: login.salesforce.com, test.salesforce.com, each org's My Domain, Experience
Cloud site and lightning host, each on its own port of 127.0.0.1 (or --bind), plus the admin API
under /__sfjwt.

Options (the environment variable in brackets is the default when the flag is absent):
  --port N        the first of a block of consecutive ports, one per logical host: N for
                  login.salesforce.com, N+1 for test.salesforce.com, N+2 and on for each org's
                  hosts. The default world takes ${DEFAULT_WORLD_PORTS} ports: ${range(DEFAULT_PORT, DEFAULT_WORLD_PORTS)} by default, the same
                  on every start; --port 0: free ports, other ones each start (printed) [SFJWT_PORT]
  --bind ADDR     IP address to listen on (default 127.0.0.1; 0.0.0.0 in a container whose ports
                  are published) [SFJWT_BIND]
  --http          plain HTTP for tools that cannot trust a CA (the tls check is then off)
                  [SFJWT_TLS=false]
  --require-tls   with --http, still answer "HTTPS required" as Salesforce does
  --world FILE    serve this world file instead of the default training ground [SFJWT_WORLD]
  --seed N        seed of the default world (names, Ids, consumer keys; default 42) [SFJWT_SEED]
  --fixtures DIR  your own endpoints, answered behind a real session on each org's My Domain: a
                  folder that mirrors URL paths, services/apexrest/orders/GET.json and the like
                  (docs/org-api.md) [SFJWT_FIXTURES]
  --strict        byte-identical to Salesforce: no x-sfjwt-trace header [SFJWT_STRICT=true]
  --json          print one JSON line once listening (login, test, myDomain, admin, adminToken, console, ca,
                  consumerKey, privateKeyFile, certificateFile, username, apps, users)
  --ready-file FILE
                  also write that JSON line to FILE once listening (mode 0600, removed on exit), for
                  a health check or a script that cannot read stdout; a FILE that is there and is not
                  a ready file of sfjwt's is refused, never overwritten [SFJWT_READY_FILE]
  --detach        start in the background and return once every host listens: prints the line
                  (--json) or where it runs; its output goes to a log in the state folder; stop it
                  with npx sfjwt stop [--ready-file FILE] (default ready file: <state dir>/serve.json)
  --admin-token T the token the admin API's state changes need (Authorization: Bearer T), 16 or
                  more characters; by default a random one per start, printed [SFJWT_ADMIN_TOKEN,
                  which other local users cannot read in the process list as they can a flag]
  --no-admin-token
                  no token: any local process may change the mock (web pages still may not)
  --knob K=V      set a behaviour knob (repeatable), e.g. --knob loginRatePerHour=null
                  --knob expLeewaySeconds=0; the README lists every knob and its range
  --state-dir DIR where the local CA and the default world's keys live (default .sfjwt)
                  [SFJWT_HOME]

SFJWT_TLS and SFJWT_STRICT take true or false; an empty variable counts as unset. With a wildcard
--bind (0.0.0.0 or ::) the printed URLs name localhost, which the listeners answer to.
HTTPS clients trust the mock with NODE_EXTRA_CA_CERTS=<ca> (the path is printed).

Examples:
  npx sfjwt serve                    HTTPS on 8443 to 8451, the same ports on every start
  npx sfjwt serve --detach --ready-file mock.json && npx sfjwt token --from-serve mock.json
  npx sfjwt serve --port 0 --json    free ports, named in the JSON line (for scripts and tests)`;

/** argv without the named options (and the value of those that take one, as `--x v` or `--x=v`). */
function withoutOptions(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    const name = a.split('=')[0] ?? '';
    if (!names.includes(name)) {
      out.push(a);
      continue;
    }
    const takesValue = name !== '--detach';
    if (takesValue && !a.includes('=')) i += 1;
  }
  return out;
}

/** A variable's value, or undefined when it is unset or empty (`docker run -e NAME=` clears it). */
function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function envBoolean(env: Env, name: string): boolean | undefined {
  const value = envValue(env, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new UsageError(`${name} takes true or false, got "${value}"`, { actions: [`Set ${name}=true or ${name}=false, or unset it.`] });
}

function envInt(env: Env, name: string, range: { min: number; max: number }): number | undefined {
  const value = envValue(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`${name} takes a whole number from ${range.min} to ${range.max}, got "${value}"`, { actions: [`Fix ${name}, or unset it.`] });
  }
  return n;
}

/** The address to listen on: an IP address, because the printed base URLs are built from it. */
function bindAddress(value: string, source: string): string {
  if (isIP(value) === 0)
    throw new UsageError(`${source} takes an IP address such as 127.0.0.1 or 0.0.0.0, got "${value}"`, {
      actions: ["127.0.0.1 keeps the mock on loopback; 0.0.0.0 serves a container's published ports."],
    });
  return value;
}

export interface ServeSettings {
  /** First port of the block (DEFAULT_PORT unless given); 0 for free ports. */
  port: number;
  bind: string;
  tls: boolean;
  requireTls: boolean;
  world?: string;
  seed?: number;
  fixtures?: string;
  strict: boolean;
  stateDir?: string;
  readyFile?: string;
  /** The admin token given (false: none); absent, startMockOrg makes one. */
  adminToken?: string | false;
}

/** What `serve` runs with: each flag, else its SFJWT_* variable, else the default. Bad values are UsageErrors. */
export function serveSettings(values: Record<string, unknown>, env: Env): ServeSettings {
  // Every variable is read even when its flag decides, so that a bad one is reported, not ignored.
  const portEnv = envInt(env, 'SFJWT_PORT', { min: 0, max: 65_535 });
  const seedEnv = envInt(env, 'SFJWT_SEED', { min: 0, max: 2 ** 31 - 1 });
  const bindEnv = envValue(env, 'SFJWT_BIND');
  const tlsEnv = envBoolean(env, 'SFJWT_TLS');
  const strictEnv = envBoolean(env, 'SFJWT_STRICT');
  const port = intOption(values['port'] as string | undefined, 'port', { min: 0, max: 65_535 }) ?? portEnv;
  const seed = intOption(values['seed'] as string | undefined, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? seedEnv;
  const bindFlag = values['bind'] as string | undefined;
  if (bindEnv !== undefined) bindAddress(bindEnv, 'SFJWT_BIND');
  const bind = bindFlag !== undefined ? bindAddress(bindFlag, '--bind') : (bindEnv ?? '127.0.0.1');
  const tls = values['http'] === true ? false : (tlsEnv ?? true);
  const world = (values['world'] as string | undefined) ?? envValue(env, 'SFJWT_WORLD');
  const fixtures = (values['fixtures'] as string | undefined) ?? envValue(env, 'SFJWT_FIXTURES');
  const stateDir = values['state-dir'] as string | undefined;
  const readyFile = (values['ready-file'] as string | undefined) ?? envValue(env, 'SFJWT_READY_FILE');
  const adminToken = adminTokenSetting(values, env);
  return {
    port: port ?? DEFAULT_PORT,
    bind,
    tls,
    requireTls: tls || values['require-tls'] === true,
    ...(world === undefined ? {} : { world }),
    ...(seed === undefined ? {} : { seed }),
    ...(fixtures === undefined ? {} : { fixtures }),
    strict: values['strict'] === true || strictEnv === true,
    ...(stateDir === undefined ? {} : { stateDir }),
    ...(readyFile === undefined ? {} : { readyFile }),
    ...(adminToken === undefined ? {} : { adminToken }),
  };
}

/** --admin-token, else --no-admin-token, else SFJWT_ADMIN_TOKEN; undefined for a random one. */
function adminTokenSetting(values: Record<string, unknown>, env: Env): string | false | undefined {
  const fromEnv = envValue(env, 'SFJWT_ADMIN_TOKEN');
  if (fromEnv !== undefined) checkAdminToken(fromEnv, 'SFJWT_ADMIN_TOKEN');
  const flag = values['admin-token'] as string | undefined;
  if (flag !== undefined && values['no-admin-token'] === true) throw new UsageError('--admin-token and --no-admin-token contradict each other', { actions: ['Give one of them.'] });
  if (flag !== undefined) return checkAdminToken(flag, '--admin-token');
  return values['no-admin-token'] === true ? false : fromEnv;
}

export function describeAsText(started: StartedMockOrg, c: Colours): string {
  const d = describeStarted(started);
  const lines = [
    c.bold('sfjwt mock org is listening'),
    '',
    table(
      ['host', 'base URL'],
      Object.entries(d.hosts).map(([h, u]) => [h, u]),
    ),
    ...Object.entries(d.sites).map(([s, u]) => `site ${s}: ${u}`),
    '',
    `console:          ${d.console}${c.dim('  (open it in a browser: requests, Setup, faults)')}`,
    `admin API:        ${d.admin}`,
    `admin token:      ${d.adminToken ?? '(none: --no-admin-token)'}${d.adminToken === null ? '' : c.dim('  (state changes: Authorization: Bearer <token>)')}`,
    `CA certificate:   ${d.ca ?? '(plain HTTP)'}${d.ca === null ? '' : c.dim(`  (export NODE_EXTRA_CA_CERTS=${d.ca})`)}`,
    ...(d.privateKeyFile === null
      ? ["private key:      none here: a world file's apps hold certificates only;", '                  sign with your own key, the one of the certificate you put in the world file']
      : [`private key:      ${d.privateKeyFile}${c.dim('  (sign the assertion with it)')}`, `certificate:      ${d.certificateFile ?? ''}${c.dim("  (the apps' certificate in the mock)")}`]),
    '',
    table(
      ['app', 'policy', 'consumer key'],
      d.apps.map((a) => [a.name, a.policy, a.consumerKey]),
    ),
    '',
    table(
      ['username', 'org', 'situation', 'password'],
      d.users.map((u) => [u.username, u.org, u.situation ?? '', u.password ?? '']),
    ),
  ];
  return lines.join('\n');
}

/** `--knob name=value` pairs; values are JSON (numbers, true, null, "text") or else plain text. */
export function parseKnobs(pairs: readonly string[]): KnobChanges {
  const changes: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--knob takes NAME=VALUE, got "${pair}"`, { actions: [`Knobs: ${KNOBS.map((k) => k.name).join(', ')}.`] });
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text, such as --knob myDomainAudience=accept.
    }
    changes[pair.slice(0, eq)] = value;
  }
  // The knob's own message (name, value, range), the same as a world file or the admin API gets.
  const problem = knobProblem(changes);
  if (problem !== undefined) throw new UsageError(`bad --knob ${problem.message}`, { actions: [problem.fix] });
  return changes as KnobChanges;
}

/** A port of the block in use: the same first line, and what the block is and the ways out. */
function portInUse(error: unknown, first: number): ResourceError | undefined {
  if (!(error instanceof ResourceError) || (error.cause as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return undefined;
  const port = /^port (\d+)/.exec(error.message)?.[1] ?? String(first);
  return new ResourceError(error.message, {
    actions: [
      `serve listens on consecutive ports from ${first}, one per host of the world (the default world: ${DEFAULT_WORLD_PORTS}, ${range(first, DEFAULT_WORLD_PORTS)}), and port ${port} is taken (by another sfjwt serve, or another program).`,
      `Pass --port 0 for free ports (printed once listening), or another --port N for the block from N on (SFJWT_PORT in a container).`,
    ],
    cause: error,
  });
}

/** Resolves once serve should stop: the context's signal, else the process's SIGINT or SIGTERM. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  // Listening for the signals replaces Node's default of dying at once: the servers close and the
  // ready file goes first. The listening servers are what keep the process alive meanwhile.
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function serve(ctx: CommandContext): Promise<number> {
  const { values } = parse(serveSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const settings = serveSettings(values, ctx.env);
  if (values.detach === true) {
    const state = stateDir(ctx, settings.stateDir);
    const ready = inCwd(ctx, settings.readyFile ?? join(state, DEFAULT_READY_FILE));
    // The same serve, less what --detach itself decides (where the line goes, the state folder).
    const rest = withoutOptions(ctx.argv, ['--detach', '--ready-file', '--state-dir']);
    return detachServe(ctx, rest, ready, state, values.json === true);
  }
  // Checked before the mock starts: a path holding anything but a ready file of sfjwt's is refused.
  const readyFile = settings.readyFile === undefined ? undefined : new ReadyFile(inCwd(ctx, settings.readyFile));
  const started = await startMockOrg({
    port: settings.port,
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.world === undefined ? {} : { worldFile: inCwd(ctx, settings.world) }),
    ...(settings.fixtures === undefined ? {} : { fixtures: inCwd(ctx, settings.fixtures) }),
    stateDir: stateDir(ctx, settings.stateDir),
    clock: { now: ctx.now },
    bind: settings.bind,
    tls: settings.tls,
    strict: settings.strict,
    knobs: { requireTls: settings.requireTls, ...parseKnobs((values.knob as string[] | undefined) ?? []) },
    ...(settings.adminToken === undefined ? {} : { adminToken: settings.adminToken }),
  }).catch((error: unknown) => {
    throw portInUse(error, settings.port) ?? error;
  });
  // What is valid but likely a mistake in a world file (an app with no certificate, a typo'd profile).
  if (settings.world !== undefined) for (const warning of formatWorldWarnings(inCwd(ctx, settings.world), worldWarnings(started.org.index.world))) ctx.stderr.write(`${warning}\n`);
  // The pid lets `sfjwt stop` find this process from the ready file.
  const line = `${JSON.stringify({ ...describeStarted(started), pid: process.pid })}\n`;
  if (readyFile !== undefined) {
    try {
      readyFile.write(line);
    } catch (error) {
      await started.close();
      throw error;
    }
  }
  ctx.stdout.write(values.json === true ? line : `${describeAsText(started, colours(ctx.stdout, ctx.env))}\n\nCtrl-C stops it.\n`);
  await stopped(ctx.signal);
  readyFile?.remove();
  await started.close();
  return 0;
}
