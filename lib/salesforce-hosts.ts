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

/** Top-level domains a sandbox suffix is seen after, besides the two-letter country codes. */
const GENERIC_TLDS = new Set(['com', 'org', 'net', 'edu', 'gov', 'mil', 'int', 'biz', 'info', 'io', 'ai', 'app', 'dev', 'cloud', 'tech', 'online', 'site']);
/** Labels that end a domain name such as `acme.uk.com` rather than name a sandbox. */
const DOMAIN_ENDINGS = new Set(['com', 'org', 'net', 'edu', 'gov', 'mil', 'int', 'biz', 'info']);

/**
 * The sandbox name a username ends with, when it is shaped like a sandbox copy of a production one:
 * Salesforce appends `.` and the sandbox name (letters and digits, a letter first, at most 10) after
 * the domain's top-level domain (`integration@acme.com.uat` → `uat`). Not a sub-domain
 * (`a@eu.acme.com`), a country's second level (`a@acme.co.uk`, `a@acme.com.au`, `a@acme.ne.jp`) nor a
 * domain under one (`a@acme.uk.com`).
 */
export function sandboxSuffix(username: string): string | undefined {
  const at = username.lastIndexOf('@');
  if (at < 1) return undefined;
  const labels = username
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .split('.');
  const suffix = labels.at(-1) ?? '';
  const tld = labels.at(-2) ?? '';
  if (labels.length < 3 || !/^[a-z][a-z0-9]{0,9}$/.test(suffix) || DOMAIN_ENDINGS.has(suffix)) return undefined;
  if (!/^[a-z]{2}$/.test(tld) && !GENERIC_TLDS.has(tld)) return undefined;
  if (/^[a-z]{2}$/.test(suffix) && tld.length <= 3) return undefined;
  return suffix;
}

/** A username shaped like a sandbox copy of a production one (see sandboxSuffix). */
export function looksLikeSandboxUsername(username: string): boolean {
  return sandboxSuffix(username) !== undefined;
}
