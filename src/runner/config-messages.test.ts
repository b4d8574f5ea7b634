/**
 * What a user reads when a config file or the SFJWT_* variables describe no target: each wrong field
 * named with what belongs there and what is there, in sfjwt's words, never zod's ("Invalid input:
 * expected string, received undefined"); and a value from the environment is never echoed back (a
 * variable may hold a secret).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, targetFromEnv } from './config.ts';

const ZOD_WORDING = /Invalid (input|option)|received|Too (big|small)|Unrecognized/;
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-config-messages-'));

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('no ConfigError');
}

describe('a config file with typical mistakes', () => {
  it('names each field with what belongs there and what is there, but for a secret', () => {
    const file = join(dir, 'sfjwt.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: { uat: { loginUrl: 'https://test.salesforce.com', consumerKey: 'k', keyFile: 'server.key', budget: 0, allowNegative: 'yes', passphrase: 20260301, userName: 'me@acme.com' } },
      }),
    );
    const message = messageOf(() => loadConfig(file, {}));
    expect(message.split('\n')).toEqual([
      `${file} is not a valid sfjwt config:`,
      '  targets.uat.username: expected a string, got nothing',
      '  targets.uat.passphrase: expected a string or an object (the value is not shown: a secret)',
      '  targets.uat.allowNegative: expected true or false, got "yes"',
      '  targets.uat.budget: expected at least 1, got 0',
      '  targets.uat: unknown field "userName": check the spelling (field names are case-sensitive)',
    ]);
    expect(message).not.toContain('20260301');
    expect(message).not.toMatch(ZOD_WORDING);
  });
});

describe('SFJWT_* variables with typical mistakes', () => {
  it('names each variable that is not set or holds what does not belong there, and never echoes its value', () => {
    const secretish = 'not-a-url-but-maybe-a-secret-0123456789';
    const message = messageOf(() => targetFromEnv({ SFJWT_LOGIN_URL: secretish, SFJWT_USERNAME: 'me@acme.com' }));
    expect(message.split('\n')).toEqual([
      'the SFJWT_* environment variables do not describe a target:',
      '  SFJWT_LOGIN_URL: expected a URL such as https://login.salesforce.com',
      '  SFJWT_CLIENT_ID: not set',
      '  SFJWT_KEY_FILE: not set',
    ]);
    expect(message).not.toContain(secretish);
    expect(message).not.toMatch(ZOD_WORDING);
  });
});
