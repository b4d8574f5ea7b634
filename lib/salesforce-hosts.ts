/**
 * Salesforce's host names and what each shape means: the two login hosts, My Domain, sandbox My
 * Domain, Experience Cloud sites and the Lightning UI host. The mock's logical hosts, the assertion
 * lint, the doctor and the real-org target all classify a host here, so they cannot disagree.
 */

export const LOGIN_HOST = 'login.salesforce.com';
export const TEST_HOST = 'test.salesforce.com';
export const LOGIN_URL = `https://${LOGIN_HOST}`;
export const TEST_URL = `https://${TEST_HOST}`;

export type SalesforceHostKind = 'login' | 'test' | 'my-domain' | 'sandbox-my-domain' | 'site' | 'lightning' | 'other';

/** What a Salesforce host name is, by its shape (case-insensitive; `other` for anything else). */
export function salesforceHostKind(host: string): SalesforceHostKind {
  const h = host.toLowerCase();
  if (h === LOGIN_HOST) return 'login';
  if (h === TEST_HOST) return 'test';
  if (h.endsWith('.sandbox.my.salesforce.com')) return 'sandbox-my-domain';
  if (h.endsWith('.my.salesforce.com')) return 'my-domain';
  if (h.endsWith('.lightning.force.com')) return 'lightning';
  if (h.endsWith('.my.site.com') || h.endsWith('.force.com')) return 'site';
  return 'other';
}

/** A host under salesforce.com, force.com or site.com: one a real org answers on. */
export function isSalesforceHost(host: string): boolean {
  return /(^|\.)(salesforce|force|site)\.com$/i.test(host.replace(/\.$/, ''));
}

/** A host (or URL) of a sandbox: test.salesforce.com or a `.sandbox.` My Domain, site or lightning host. */
export function isSandboxHost(hostOrUrl: string): boolean {
  let host = hostOrUrl;
  try {
    host = new URL(hostOrUrl).hostname;
  } catch {
    // Not a URL: a host name.
  }
  const h = host.toLowerCase();
  return h === TEST_HOST || (isSalesforceHost(h) && h.includes('.sandbox.'));
}

/** The production or sandbox login URL, the natural `aud` of a connected app's assertion. */
export function loginUrlOf(sandbox: boolean): string {
  return sandbox ? TEST_URL : LOGIN_URL;
}

/** `acme.my.salesforce.com`, or `acme.sandbox.my.salesforce.com` for a sandbox. */
export function myDomainHostName(myDomain: string, sandbox: boolean): string {
  return sandbox ? `${myDomain}.sandbox.my.salesforce.com` : `${myDomain}.my.salesforce.com`;
}

/** The Experience Cloud site domain: `acme.my.site.com` (`acme.sandbox.my.site.com`). */
export function siteHostName(myDomain: string, sandbox: boolean): string {
  return sandbox ? `${myDomain}.sandbox.my.site.com` : `${myDomain}.my.site.com`;
}

/** The Lightning UI host, which only redirects: `acme.lightning.force.com`. */
export function lightningHostName(myDomain: string, sandbox: boolean): string {
  return sandbox ? `${myDomain}.sandbox.lightning.force.com` : `${myDomain}.lightning.force.com`;
}

/**
 * A username shaped like a sandbox copy of a production one: a suffix after the domain
 * (`integration@acme.com.uat`), not a country code after `.co` / `.com` (`a@acme.co.uk`).
 */
export function looksLikeSandboxUsername(username: string): boolean {
  return /@[^@]+\.[a-z]{2,}\.[a-z0-9]+$/i.test(username) && !/\.(co|com|org|net|gov|ac|edu)\.[a-z]{2}$/i.test(username);
}
