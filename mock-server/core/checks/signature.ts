/**
 * The RS256 signature, verified against every certificate uploaded to the app (public keys parsed
 * once per world). A wrong key, a replaced certificate or a certificate cleared by a deploy all give
 * `invalid assertion`; the trace names the certificates tried.
 */
import { verify } from 'node:crypto';
import { fail, pass, type Check } from '../check.ts';

export const signatureCheck: Check = {
  id: 'signature',
  title: 'Signature verifies with a certificate on the app',
  level: 'MUST',
  confidence: 'OBS+',
  description: 'The RS256 signature must verify with the public key of a certificate uploaded to the connected app ("Use digital signatures").',
  outcomes: ['signatureInvalid'],
  run(ctx) {
    if (ctx.assertion === undefined) return { verdict: 'skip', reason: 'no decodable assertion' };
    if (ctx.app === undefined) return { verdict: 'skip', reason: 'no app to take the certificate from (iss did not name one)' };
    if (ctx.assertion.header['alg'] !== 'RS256') return { verdict: 'skip', reason: 'alg is not RS256, so there is no RSA signature to verify' };
    const certs = ctx.world.certificates(ctx.app);
    const expected = `a signature by the private key of one of ${certs.length} certificate${certs.length === 1 ? '' : 's'} on "${ctx.app.name}"`;
    if (certs.length === 0) {
      return fail('signatureInvalid', expected, 'the app has no certificate', `Upload the certificate (server.crt) to "${ctx.app.name}": Setup > App Manager > Edit > Use digital signatures. A deploy of the app can clear it.`);
    }
    const input = Buffer.from(ctx.assertion.signingInput, 'ascii');
    for (const cert of certs) {
      // A signature of the wrong length is simply not valid; verify() returns false for it.
      if (verify('sha256', input, cert.publicKey, ctx.assertion.signature)) {
        const expired = cert.notAfter.getTime() < ctx.now;
        return pass(expected, `verified with certificate ${cert.sha256.slice(0, 23)}…`, expired ? `the certificate expired on ${cert.notAfter.toISOString()}; Salesforce accepts it anyway, by design` : undefined);
      }
    }
    return fail(
      'signatureInvalid',
      expected,
      ctx.assertion.signature.length === 0
        ? 'no signature'
        : `the certificate does not match: the signature verifies with none of the certificates on the app (tried ${certs.map((c) => `${c.sha256.slice(0, 11)}…`).join(', ')})`,
      `Sign with the private key that matches the certificate on "${ctx.app.name}", or upload the certificate of the key you sign with. Check the JWT was not changed after signing.`,
    );
  },
};
