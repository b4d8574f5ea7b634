/** The secrets exec notes in a command's output: what each line held, where, with the secret cut out. */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../mock-server/core/redactor.ts';
import { SecretScanner } from './output-secrets.ts';

const TOKEN = `00D5g000000AbCd!AQ${'x'.repeat(60)}`;
const JWT = `eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSJ9.${'s'.repeat(40)}`;

describe('secrets in the output', () => {
  it('notes tokens, assertions, keys and the world’s secrets by stream and line, across chunks', () => {
    const scanner = new SecretScanner(new Redactor(new Map([['9F8E7D6C5B4A39281726354453627180', ['Acme']]])));
    scanner.write('stdout', 'logging in\naccess token: ');
    scanner.write('stdout', `${TOKEN}\nassertion=${JWT}\n`);
    scanner.write('stderr', '-----BEGIN PRIVATE KEY-----\nMIIE…\nsecret 9F8E7D6C5B4A39281726354453627180');
    scanner.write('stdout', 'refresh 5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrN1fKVVNUhOgqs2n3Vh1ZrD3ktzDOPnkHd\nnothing here');
    scanner.end();
    expect(scanner.found).toEqual([
      { stream: 'stdout', line: 2, what: 'an access token', excerpt: 'access token: [an access token]' },
      { stream: 'stdout', line: 3, what: 'a signed assertion', excerpt: 'assertion=[a signed assertion]' },
      { stream: 'stderr', line: 1, what: 'a private key', excerpt: '[a private key]' },
      { stream: 'stdout', line: 4, what: 'a refresh token', excerpt: 'refresh [a refresh token]' },
      { stream: 'stderr', line: 3, what: 'a secret of the world (a consumer secret or a password)', excerpt: 'secret [redacted: the consumer secret of app Acme]' },
    ]);
  });

  it('a token with its secret part cut (00D…![redacted]) is no finding', () => {
    const scanner = new SecretScanner(new Redactor(new Map()));
    scanner.write('stdout', 'token 00D5g000000AbCd![redacted]\n');
    scanner.end();
    expect(scanner.found).toEqual([]);
  });
});
