/**
 * The description of a started mock: its base URLs, the admin API's token and what a client needs to
 * log in (for the default world, the app's private key and certificate files). `serve --json` prints
 * it as one line; the container adapter reads that line back, so both share this one shape.
 */
import { DEFAULT_APPS } from '../world/default-world.ts';
import type { StartedMockOrg } from './node-server.ts';

/** A wildcard address accepts connections but cannot be connected to: print localhost instead. */
function reachable(url: string): string {
  return url.replace(/^(https?:\/\/)(?:0\.0\.0\.0|\[::\])(?=:\d+)/, '$1localhost');
}

/** What `serve --json` prints: the base URLs and what a client needs to log in. */
export function describeStarted(started: StartedMockOrg) {
  const world = started.org.index.world;
  // The default world's app key pair; a world file's apps hold certificates only (its user signs with their own key).
  const keyFile = started.appKey?.privateKeyFile ?? null;
  const certificateFile = started.appKey?.certificateFile ?? null;
  const firstProd = world.orgs.find((o) => o.kind === 'production') ?? world.orgs[0];
  const defaultApp = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized) ?? world.apps[0];
  const happy = world.users.find((u) => u.role === 'default') ?? world.users[0];
  const urls = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).map(([k, u]) => [k, reachable(u)]));
  const myDomain = firstProd === undefined ? undefined : started.myDomain[firstProd.name];
  return {
    login: reachable(started.login),
    test: reachable(started.test),
    myDomain: myDomain === undefined ? null : reachable(myDomain),
    myDomains: urls(started.myDomain),
    sites: urls(started.sites),
    hosts: urls(started.hosts),
    admin: reachable(started.admin),
    /** What the admin API's state changes need (Authorization: Bearer); null when serve runs with --no-admin-token. */
    adminToken: started.adminToken,
    /** The web console; its link logs the browser in with the admin token. */
    console: `${reachable(started.admin)}/ui/${started.adminToken === null ? '' : `login?token=${encodeURIComponent(started.adminToken)}`}`,
    ca: started.ca,
    consumerKey: defaultApp?.consumerKey ?? null,
    privateKeyFile: keyFile,
    /** The certificate of that key, which the default world's apps carry; null for a world file. */
    certificateFile,
    username: happy?.username ?? null,
    apps: world.apps.map((a) => ({ name: a.name, kind: a.kind, consumerKey: a.consumerKey, policy: a.policy, privateKeyFile: keyFile, certificateFile })),
    // The training ground's passwords (the login page of the authorize flows), as a training ground
    // hands them out; a world file's passwords are its author's secrets and are never printed.
    users: world.users.map((u) => ({ username: u.username, org: u.org, situation: u.situation ?? null, password: started.appKey === undefined ? null : (u.password ?? null) })),
  };
}

export type ServeDescription = ReturnType<typeof describeStarted>;
