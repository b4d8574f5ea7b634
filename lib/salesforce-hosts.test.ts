/**
 * The sandbox suffix of a username: Salesforce appends `.` and the sandbox name after the domain when
 * it copies a user into a sandbox; a sub-domain, a country's second level or a domain under one is no
 * such suffix.
 */
import { describe, expect, it } from 'vitest';
import { sandboxSuffix } from './salesforce-hosts.ts';

describe('sandboxSuffix', () => {
  it.each([
    ['integration@acme.com.uat', 'uat'],
    ['INTEGRATION@ACME.COM.UAT', 'uat'],
    ['integration@acme.io.full2', 'full2'],
    ['integration@acme.de.dev', 'dev'],
    ['integration@acme.com.au.partial', 'partial'],
    ['integration@acme.com', undefined],
    ['integration@eu.acme.com', undefined],
    ['integration@mail.acme.io', undefined],
    ['integration@acme.co.uk', undefined],
    ['integration@acme.com.au', undefined],
    ['integration@acme.ne.jp', undefined],
    ['integration@acme.uk.com', undefined],
    ['integration@acme.com.toolongname', undefined],
    ['integration@acme.com.2nd', undefined],
    ['integration', undefined],
    ['@acme.com.uat', undefined],
  ])('%s → %s', (username, suffix) => {
    expect(sandboxSuffix(username)).toBe(suffix);
  });
});
