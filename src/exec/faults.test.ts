/** `--fault` values: what each means, and the usage error a wrong one gets (exact words). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/errors.ts';
import { describeFault, parseFault } from './faults.ts';

describe('--fault', () => {
  it.each<[string, string]>([
    ['unknown_error', 'the next token request answers unknown_error'],
    ['unknown_error:3', 'the next 3 token requests answer unknown_error'],
    ['drop', 'the next token request is dropped unanswered'],
    ['delay:2500', 'the next token request is answered after 2500 ms'],
    ['delay:100:2', 'the next 2 token requests are answered after 100 ms'],
    ['expire-after:1', 'every session expires after 1 API call'],
    ['revoke-after:4', 'every token is revoked after 4 API calls'],
    ['untrusted-tls', 'the mock serves a certificate from a CA the command is not given'],
  ])('%s: %s', (spec, described) => {
    expect(describeFault(parseFault(spec))).toBe(described);
  });

  it.each<[string, string]>([
    ['unknown', '--fault unknown: no such fault'],
    ['drop:x', '--fault drop:x: the count must be a whole number, not "x"'],
    ['drop:0', '--fault drop:0: the count must be from 1 to 1000000'],
    ['delay', '--fault delay: the delay in milliseconds is missing'],
    ['delay:999999', '--fault delay:999999: the delay in milliseconds must be from 0 to 120000'],
    ['expire-after', '--fault expire-after: the number of API calls is missing'],
    ['untrusted-tls:1', '--fault untrusted-tls:1: too many parts'],
    ['unknown_error:1:2', '--fault unknown_error:1:2: too many parts'],
  ])('%s is refused: %s', (spec, message) => {
    const thrown = (() => {
      try {
        parseFault(spec);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
    expect((thrown as UsageError).actions).toEqual([
      'A fault is one of: unknown_error[:N], drop[:N], delay:MS[:N], expire-after:N, revoke-after:N, untrusted-tls.',
      'For example: --fault unknown_error --fault expire-after:3',
    ]);
  });
});
