/**
 * The HTTPS leaf certificate is kept next to the local CA and reused (making an RSA key is most of
 * `serve`'s TLS start-up), but only while it is good: issued by this CA, covering every name, valid
 * for another day and matching its key. Otherwise a new one is made and kept.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SALESFORCE_DNS_NAMES, serverTls } from './local-ca.ts';

const dirs: string[] = [];
const stateDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfjwt-ca-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('serverTls', () => {
  it('keeps the leaf and its key (mode 0600) and serves the same one on the next start', () => {
    const dir = stateDir();
    const first = serverTls(dir);
    const second = serverTls(dir);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
    expect(statSync(join(dir, 'tls', 'server.key')).mode & 0o777).toBe(0o600);
    const leaf = new X509Certificate(first.cert);
    expect(leaf.checkIssued(new X509Certificate(first.caPem))).toBe(true);
    for (const name of SALESFORCE_DNS_NAMES) expect(leaf.subjectAltName).toContain(`DNS:${name}`);
  });

  it('makes a new leaf when the kept one is damaged, belongs to another CA or does not match its key', () => {
    const dir = stateDir();
    const first = serverTls(dir);
    writeFileSync(join(dir, 'tls', 'server.crt'), 'not a certificate');
    const afterDamage = serverTls(dir);
    expect(afterDamage.cert).not.toBe(first.cert);
    expect(new X509Certificate(afterDamage.cert).checkIssued(new X509Certificate(afterDamage.caPem))).toBe(true);

    const other = stateDir();
    const foreign = serverTls(other);
    writeFileSync(join(dir, 'tls', 'server.crt'), foreign.cert);
    writeFileSync(join(dir, 'tls', 'server.key'), foreign.key);
    const afterForeign = serverTls(dir);
    expect(afterForeign.cert).not.toBe(foreign.cert);

    writeFileSync(join(dir, 'tls', 'server.key'), readFileSync(join(other, 'tls', 'server.key')));
    const afterWrongKey = serverTls(dir);
    expect(afterWrongKey.cert).not.toBe(afterForeign.cert);
    expect(new X509Certificate(afterWrongKey.cert).checkPrivateKey(createPrivateKey(afterWrongKey.key))).toBe(true);
  });
});
