/**
 * The logical hosts a world answers on: login.salesforce.com, test.salesforce.com, and per org its
 * My Domain, its Experience Cloud site domain and its `*.lightning.force.com` domain (which only
 * redirects). Which users a host can log in, and which `aud` values it accepts, depend on its kind.
 */
import { LOGIN_HOST, lightningHostName, myDomainHostName, siteHostName, TEST_HOST } from '../../lib/salesforce-hosts.ts';
import type { Org } from './schema.ts';

export { LOGIN_HOST, TEST_HOST };

export type HostKind = 'login' | 'test' | 'my-domain' | 'site' | 'lightning';

export interface LogicalHost {
  /** The real host name, such as acme.my.salesforce.com. */
  name: string;
  kind: HostKind;
  /** The org behind a My Domain, site or lightning host. */
  org?: string;
}

export function myDomainHost(org: Org): string {
  return myDomainHostName(org.myDomain, org.kind === 'sandbox');
}

export function siteHost(org: Org): string {
  return siteHostName(org.myDomain, org.kind === 'sandbox');
}

export function lightningHost(org: Org): string {
  return lightningHostName(org.myDomain, org.kind === 'sandbox');
}

/** Every logical host of a world, login and test first, then each org's hosts in world order. */
export function logicalHosts(orgs: readonly Org[]): LogicalHost[] {
  const hosts: LogicalHost[] = [
    { name: LOGIN_HOST, kind: 'login' },
    { name: TEST_HOST, kind: 'test' },
  ];
  for (const org of orgs) {
    hosts.push({ name: myDomainHost(org), kind: 'my-domain', org: org.name });
    if (org.sites.length > 0) hosts.push({ name: siteHost(org), kind: 'site', org: org.name });
    hosts.push({ name: lightningHost(org), kind: 'lightning', org: org.name });
  }
  return hosts;
}

/**
 * Base URLs as a client sees them: `https://login.salesforce.com` in-process, or
 * `https://127.0.0.1:PORT` when served on loopback. Adapters provide one.
 */
export interface HostUrls {
  /** Origin of a logical host, without a trailing slash. */
  baseUrl(host: string): string;
  /** Every origin that denotes a logical host to clients (`https://127.0.0.1:4431`, `https://localhost:4431`). */
  origins(host: string): string[];
}

/** Host URLs for the real names (the msw adapter and Host-header routing). */
export function realHostUrls(scheme: 'https' | 'http' = 'https'): HostUrls {
  return {
    baseUrl: (host) => `${scheme}://${host}`,
    origins: (host) => [`${scheme}://${host}`],
  };
}
