/**
 * The cryptographic ceiling: raw RS256 verifications per second on one core, node:crypto.verify with
 * a public KeyObject imported once and a 2048-bit key (the size of the default app's), no HTTP and
 * no parsing. Three windows of `seconds`/3; the median is quoted. Part of `npm run bench`.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { isMain, median } from './lib/format.ts';

export interface CryptoCeiling {
  verifiesPerSecond: number;
  windows: number[];
  microsecondsEach: number;
}

export function measureVerify(seconds = 3): CryptoCeiling {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const input = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSIsInN1YiI6InVzZXJAZXhhbXBsZS5jb20iLCJhdWQiOiJodHRwczovL2xvZ2luLnNhbGVzZm9yY2UuY29tIiwiZXhwIjoxNzAwMDAwMDAwfQ');
  const signature = sign('sha256', input, privateKey);
  for (let i = 0; i < 200; i += 1) verify('sha256', input, key, signature);
  const windows: number[] = [];
  for (let w = 0; w < 3; w += 1) {
    let n = 0;
    const t0 = performance.now();
    const end = t0 + (seconds * 1000) / 3;
    while (performance.now() < end) {
      for (let i = 0; i < 50; i += 1) if (!verify('sha256', input, key, signature)) throw new Error('the signature did not verify');
      n += 50;
    }
    windows.push(n / ((performance.now() - t0) / 1000));
  }
  const perSecond = median(windows);
  return { verifiesPerSecond: perSecond, windows, microsecondsEach: 1e6 / perSecond };
}

if (isMain(import.meta.url)) {
  const r = measureVerify();
  process.stdout.write(`RS256 verify, one core: ${Math.round(r.verifiesPerSecond)}/s (${r.microsecondsEach.toFixed(1)} µs each; windows ${r.windows.map((x) => Math.round(x)).join(', ')})\n`);
}
