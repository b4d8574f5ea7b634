/**
 * The URL of a node request, from its target and Host: the href the core gets, or a refusal (the
 * front's 400, `MockOrg.unaddressed`). Each row was checked against @hono/node-server, whose rules
 * these are. And what a trace keeps of a refused target: no query, no user info, 512 characters.
 */
import { describe, expect, it } from 'vitest';
import { requestUrl, TRACE_FIELD_CHARS, traceTarget } from './request-url.ts';

const LOGIN = 'login.salesforce.com';

describe('requestUrl', () => {
  it.each([
    ['a plain target', 'http', '/services/oauth2/token', LOGIN, 'http://login.salesforce.com/services/oauth2/token'],
    ['https from a TLS socket', 'https', '/a?b=c', `${LOGIN}:4431`, 'https://login.salesforce.com:4431/a?b=c'],
    ['a loopback host and port', 'http', '/x', '127.0.0.1:51234', 'http://127.0.0.1:51234/x'],
    ['dot segments, resolved', 'http', '/services/oauth2/../oauth2/token', LOGIN, 'http://login.salesforce.com/services/oauth2/token'],
    ['encoded dot segments, resolved', 'http', '/a/%2e%2e/b', LOGIN, 'http://login.salesforce.com/b'],
    ['a bad escape, kept', 'http', '/traces/%ZZ', LOGIN, 'http://login.salesforce.com/traces/%ZZ'],
    ['characters the parser encodes', 'http', '/a{b}^`|', LOGIN, 'http://login.salesforce.com/a%7Bb%7D^%60|'],
    ['a backslash in the query, kept', 'http', '/a?b=\\c', LOGIN, 'http://login.salesforce.com/a?b=\\c'],
    ['an upper-case host, lowered', 'http', '/x', 'LOGIN.Salesforce.COM', 'http://login.salesforce.com/x'],
    ['the default port, dropped', 'https', '/x', `${LOGIN}:443`, 'https://login.salesforce.com/x'],
    ['a trailing dot, kept', 'http', '/x', `${LOGIN}.`, 'http://login.salesforce.com./x'],
    ['an IPv6 host', 'http', '/x', '[::1]:8080', 'http://[::1]:8080/x'],
    ['an absolute-form target', 'http', 'http://login.salesforce.com/services/data/', '127.0.0.1:1', 'http://login.salesforce.com/services/data/'],
    ['an absolute-form target with credentials', 'http', 'http://u:p@login.salesforce.com/x', undefined, 'http://u:p@login.salesforce.com/x'],
    ['an absolute-form https target on a plain socket', 'http', 'https://127.0.0.1:1/x', undefined, 'https://127.0.0.1:1/x'],
  ] as const)('%s', (_name, scheme, target, host, href) => {
    expect(requestUrl(scheme, target, host)?.href).toBe(href);
  });

  it.each([
    ['no Host', '/x', undefined],
    ['an empty Host', '/x', ''],
    ['a target without a leading slash', 'services/oauth2/token', LOGIN],
    ['an asterisk target', '*', LOGIN],
    ['a backslash in the path', '/services\\oauth2/token', LOGIN],
    ['an upper-case scheme (not absolute-form)', 'HTTP://login.salesforce.com/', LOGIN],
    ['another scheme', 'ftp://x/y', LOGIN],
    ['a broken absolute-form target', 'http://[::1/x', LOGIN],
    ['a backslash in an absolute-form path', 'http://a\\b/c', LOGIN],
    ['a Host that is a bracket', '/x', '['],
    ['a Host with a space', '/x', 'a b'],
    ['a Host with a slash', '/x', 'a/b'],
    ['a Host with user info', '/x', `evil@${LOGIN}`],
    ['a Host with two colons', '/x', 'a:b:c'],
    ['a Host with a port past 65535', '/x', `${LOGIN}:99999`],
    ['a Host with a percent escape', '/x', 'a%20b'],
    ['a Host with a hash', '/x', 'a#b'],
    ['a Host with a question mark', '/x', 'a?b'],
    ['a Host with a backslash', '/x', 'a\\b'],
    ['a Host with a latin-1 byte', '/x', 'caf\u00e9'],
    ['a Host in UTF-8 read as latin-1', '/x', Buffer.from('日本.com').toString('latin1')],
  ])('refuses %s', (_name, target, host) => {
    expect(requestUrl('http', target, host)).toBeUndefined();
  });
});

describe('traceTarget', () => {
  it.each([
    ['a path, kept', '/services/oauth2/token', '/services/oauth2/token'],
    ['the query, dropped', '/services/oauth2/token?assertion=eyJ', '/services/oauth2/token'],
    ['a fragment, dropped', '/a#b?c', '/a'],
    ['an asterisk, kept', '*', '*'],
    ['user info of an absolute-form target, dropped', 'http://admin:hunter2@[::1/x', 'http://[::1/x'],
    ['user info in any scheme case, dropped', 'HTTP://u:p@h/x', 'HTTP://h/x'],
    ['an @ in the path, kept', '/a@b', '/a@b'],
    ['a long target, cut', `/${'a'.repeat(600)}`, `/${'a'.repeat(511)}`],
    ['user info past the cut, still dropped', `http://${'p'.repeat(600)}@h/x`, 'http://h/x'],
  ])('%s', (_name, target, kept) => {
    expect(traceTarget(target)).toBe(kept);
    expect(traceTarget(target).length).toBeLessThanOrEqual(TRACE_FIELD_CHARS);
  });
});
