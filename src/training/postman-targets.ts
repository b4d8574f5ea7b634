/**
 * The two targets an export is made for, each as what the plan asks of it (postman-requests.ts), the
 * host variables of its collection and the words its description adds. The served mock: roles as the
 * runner's remote mock target resolves them, over the mock's line (`serve --json`, `--ready-file`),
 * its state left to the collection's pre-request script, never set from here. A real org of
 * sfjwt.config.json: the runner's real-org target itself, with its safety rules, given a fetch that
 * refuses and a pause that does not wait, since an export sends nothing.
 */
import { UsageError } from '../../lib/errors.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { LOGIN_HOST, TEST_HOST } from '../../mock-server/world/hosts.ts';
import type { World } from '../../mock-server/world/schema.ts';
import type { ResolvedTargetConfig } from '../runner/config.ts';
import { remoteMockTarget } from '../runner/mock-target.ts';
import { realTarget } from '../runner/real-target.ts';
import type { HostVariable } from './postman-collection.ts';
import type { ExportPlanner } from './postman-requests.ts';
import type { ServedMockLine } from './scenario-request.ts';

export interface ExportTarget {
  planner: ExportPlanner;
  hosts: HostVariable[];
  /** For the collection's description. */
  notes: string[];
}

/** `login.salesforce.com` → login_url, `acme.my.salesforce.com` → acme_my_url, `acme.my.site.com` → acme_my_site_com_url. */
export function hostVariable(host: string): string {
  return `${host
    .replace(/\.salesforce\.com$/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()}_url`;
}

/** The served training ground (the world of the default seed, as scenario-request.ts knows it). */
export function servedMockTarget(line: ServedMockLine, world: World, privateKeyPem: string, now: number): ExportTarget {
  const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
  if (app?.consumerKey !== line.consumerKey) {
    throw new UsageError("the served mock does not serve the default training ground (its app's consumer key differs), so a scenario's roles name nobody there", {
      actions: ['Serve the default world with the default seed: npx sfjwt serve --detach --ready-file mock.json (no --world, no --seed).'],
    });
  }
  const target = remoteMockTarget({ hosts: line.hosts, admin: line.admin, caPem: null, world, privateKeyPem }, { clock: { now: () => now, sleep: async () => undefined } });
  // login and test first, then the orgs' hosts as the mock lists them.
  const names = [LOGIN_HOST, TEST_HOST, ...Object.keys(line.hosts).filter((h) => h !== LOGIN_HOST && h !== TEST_HOST)];
  return {
    planner: { kind: target.kind, context: (s) => target.context(s), prepare: async () => undefined, knownSecrets: () => target.knownSecrets() },
    hosts: names.flatMap((h) => (line.hosts[h] === undefined ? [] : [{ variable: hostVariable(h), url: line.hosts[h] }])),
    notes: [
      "Made for the mock that `npx sfjwt serve` serves. The collection's pre-request script resets the mock before every request and puts it in the state of the request's scenario through its admin API (`admin_url`, and `admin_token`, a secret of the environment), as `npx sfjwt run` does before every scenario; so the mock's journal holds the last request only.",
      "Trust the mock's CA (the `ca` file of `serve --json`): `newman run sfjwt.postman_collection.json -e sfjwt.postman_environment.json --ssl-extra-ca-certs CA`, or in Postman Settings → Certificates → CA certificates.",
    ],
  };
}

const noWait = async () => undefined;
const refuse = async (): Promise<Response> => {
  throw new Error('the Postman export sends nothing');
};

/** A real org of the config: only what `npx sfjwt run --target NAME` would send it. */
export function realOrgTarget(config: ResolvedTargetConfig, now: number): ExportTarget {
  const target = realTarget(config, { now: () => now, wait: noWait, fetch: refuse });
  const trim = (url: string) => url.replace(/\/+$/, '');
  const hosts = [
    { variable: 'login_url', url: trim(config.loginUrl) },
    ...Object.entries(config.hosts).flatMap(([role, url]) => (url === undefined ? [] : [{ variable: `${role.replace(/-/g, '_')}_url`, url: trim(url) }])),
  ];
  return {
    planner: target,
    hosts,
    notes: [
      `Made for the real org target \`${config.name}\` of sfjwt.config.json, with its safety rules as \`npx sfjwt run --target ${config.name}\` applies them: at most ${config.budget} requests, at most ${config.maxFailuresPerUser} failed logins per user, ${config.allowNegative ? 'negative scenarios allowed (allowNegative)' : 'no negative scenario (allowNegative is off)'}, nothing that needs the mock's state.`,
      `Each run sends these requests to the org and counts in its Login History: run it with the target's pause between requests, \`newman run sfjwt.postman_collection.json -e sfjwt.postman_environment.json --delay-request ${config.delayMs}\`.`,
    ],
  };
}
