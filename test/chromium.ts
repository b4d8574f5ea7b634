/**
 * How the browser tests start Debian's Chromium: headless, nothing fetched in the background, and
 * trusting the mock's leaf certificate (kept in the state folder, served as it is) by its public key,
 * and nothing else it would not.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { serverTls } from '../mock-server/adapters/local-ca.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium's flags for a test of the mock served from `stateDir`. */
export function chromiumArgs(stateDir: string): string[] {
  const leaf = new X509Certificate(serverTls(stateDir).cert);
  const spki = createHash('sha256')
    .update(leaf.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--ignore-certificate-errors-spki-list=${spki}`,
  ];
}
