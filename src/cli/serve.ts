/**
 * `sfjwt serve`: the mock org as HTTPS (or HTTP) servers on loopback, one port per logical host,
 * until Ctrl-C. With --json it prints one JSON line once listening, for scripts and containers.
 */
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { startMockOrg, type StartedMockOrg } from '../../mock-server/adapters/node-server.ts';
import { KNOBS, KnobsSchema, type KnobChanges } from '../../mock-server/core/knobs.ts';
import { UsageError } from '../errors.ts';
import { colours, intOption, parse, table, type CommandSpec } from './args.ts';

export const serveSpec = {
  name: 'serve',
  summary: 'Serve the mock Salesforce org on loopback (HTTPS by default)',
  usage: 'npx sfjwt serve [--port N] [--http] [--require-tls] [--world FILE] [--seed N] [--strict] [--json] [--state-dir DIR]',
  options: {
    port: { type: 'string' },
    http: { type: 'boolean' },
    'require-tls': { type: 'boolean' },
    world: { type: 'string' },
    seed: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
    'state-dir': { type: 'string' },
    knob: { type: 'string', multiple: true },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${serveSpec.usage}

Serves the mock org: login.salesforce.com, test.salesforce.com, each org's My Domain, Experience
Cloud site and lightning host, each on its own port of 127.0.0.1, plus the admin API under /__sfjwt.

Options:
  --port N        port of the login host; the other hosts take the next ports (default: free ports)
  --http          plain HTTP for tools that cannot trust a CA (the tls check is then off)
  --require-tls   with --http, still answer "HTTPS required" as Salesforce does
  --world FILE    serve this world file instead of the default training ground
  --seed N        seed of the default world (names, Ids, consumer keys; default 42)
  --strict        byte-identical to Salesforce: no x-sfjwt-trace header
  --json          print one JSON line once listening (login, test, myDomain, admin, ca, consumerKey,
                  privateKeyFile, username, apps, users)
  --knob K=V      set a behaviour knob (repeatable), e.g. --knob loginRatePerHour=null
                  --knob expLeewaySeconds=0; the README lists every knob
  --state-dir DIR where the local CA and the default world's keys live (default .sfjwt, or SFJWT_HOME)

HTTPS clients trust the mock with NODE_EXTRA_CA_CERTS=<ca> (the path is printed).`;

/** What `serve --json` prints: the base URLs and what a client needs to log in. */
export function describeStarted(started: StartedMockOrg) {
  const world = started.org.index.world;
  const keyFile = started.appKey?.privateKeyFile ?? null;
  const firstProd = world.orgs.find((o) => o.kind === 'production') ?? world.orgs[0];
  const defaultApp = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized) ?? world.apps[0];
  const happy = world.users.find((u) => u.situation === 'logs in') ?? world.users[0];
  return {
    login: started.login,
    test: started.test,
    myDomain: firstProd === undefined ? null : (started.myDomain[firstProd.name] ?? null),
    myDomains: started.myDomain,
    sites: started.sites,
    hosts: started.hosts,
    admin: started.admin,
    ca: started.ca,
    consumerKey: defaultApp?.consumerKey ?? null,
    privateKeyFile: keyFile,
    username: happy?.username ?? null,
    apps: world.apps.map((a) => ({ name: a.name, kind: a.kind, consumerKey: a.consumerKey, policy: a.policy, privateKeyFile: keyFile })),
    users: world.users.map((u) => ({ username: u.username, org: u.org, situation: u.situation ?? null })),
  };
}

export function describeAsText(started: StartedMockOrg): string {
  const d = describeStarted(started);
  const c = colours();
  const lines = [
    c.bold('sfjwt mock org is listening'),
    '',
    table(['host', 'base URL'], Object.entries(d.hosts).map(([h, u]) => [h, u])),
    ...Object.entries(d.sites).map(([s, u]) => `site ${s}: ${u}`),
    '',
    `admin API:        ${d.admin}`,
    `CA certificate:   ${d.ca ?? '(plain HTTP)'}${d.ca === null ? '' : c.dim(`  (export NODE_EXTRA_CA_CERTS=${d.ca})`)}`,
    `private key:      ${d.privateKeyFile ?? '(from the world file)'}`,
    '',
    table(['app', 'policy', 'consumer key'], d.apps.map((a) => [a.name, a.policy, a.consumerKey])),
    '',
    table(['username', 'org', 'situation'], d.users.map((u) => [u.username, u.org, u.situation ?? ''])),
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
  const parsed = KnobsSchema.partial().safeParse(changes);
  if (!parsed.success) {
    throw new UsageError(`bad --knob: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'knob'}: ${i.message}`).join('; ')}`, { actions: [`Knobs: ${KNOBS.map((k) => k.name).join(', ')}.`] });
  }
  return parsed.data as KnobChanges;
}

export async function serve(argv: string[]): Promise<void> {
  const { values } = parse(serveSpec, argv);
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const port = intOption(values.port as string | undefined, 'port', { min: 0, max: 65_535 });
  const seed = intOption(values.seed as string | undefined, 'seed', { min: 0, max: 2 ** 31 - 1 });
  const useTls = values.http !== true;
  const started = await startMockOrg({
    ...(port === undefined ? {} : { port }),
    ...(seed === undefined ? {} : { seed }),
    ...(values.world === undefined ? {} : { worldFile: values.world as string }),
    ...(values['state-dir'] === undefined ? {} : { stateDir: values['state-dir'] as string }),
    tls: useTls,
    strict: values.strict === true,
    knobs: { requireTls: useTls || values['require-tls'] === true, ...parseKnobs((values.knob as string[] | undefined) ?? []) },
  });
  process.stdout.write(values.json === true ? `${JSON.stringify(describeStarted(started))}\n` : `${describeAsText(started)}\n\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await started.close();
}
