/**
 * The RS256 signature, verified against every certificate uploaded to the app (public keys parsed
 * once per world). A wrong key, a replaced certificate or a certificate cleared by a deploy all give
 * `invalid assertion`; the trace names the certificates tried.
 */
import { verify } from 'node:crypto';
import { type Check, fail, pass, skip } from '../check.ts';

export const signatureCheck: Check = {
  id: 'signature',
  title: 'Signature verifies with a certificate on the app',
  level: 'MUST',
  confidence: 'OBS+',
  description: 'The RS256 signature must verify with the public key of a certificate uploaded to the connected app ("Use digital signatures").',
  outcomes: ['signatureInvalid'],
  knobs: [],
  rootCause: {
    title: "The signature does not verify with the app's certificate",
    fix: 'Upload the certificate made from the key you sign with (Setup > App Manager > Edit > Use digital signatures), or sign with the key of the uploaded certificate.',
  },
  confirm:
    'npx sfjwt inspect <JWT> --cert server.crt verifies the signature with the certificate uploaded to the app: signature-mismatch means another key signed it; if it verifies, the app holds another certificate (or none: a deploy can clear it).',
  run(ctx, { assertion, app }) {
    if (assertion === undefined) return skip('no decodable assertion');
    if (app === undefined) return skip('no app to take the certificate from (iss did not name one)');
    if (assertion.header['alg'] !== 'RS256') return skip('alg is not RS256, so there is no RSA signature to verify');
    const certs = ctx.world.certificates(app);
    const expected = `a signature by the private key of one of ${certs.length} certificate${certs.length === 1 ? '' : 's'} on "${app.name}"`;
    if (certs.length === 0) {
      return fail(
        'signatureInvalid',
        expected,
        'the app has no certificate',
        `Upload the certificate (server.crt) to "${app.name}": Setup > App Manager > Edit > Use digital signatures. A deploy of the app can clear it.`,
      );
    }
    const input = Buffer.from(assertion.signingInput, 'ascii');
    for (const cert of certs) {
      // A signature of the wrong length is simply not valid; verify() returns false for it.
      if (verify('sha256', input, cert.publicKey, assertion.signature)) {
        const expired = cert.notAfter.getTime() < ctx.now;
        return pass(
          expected,
          `verified with certificate ${cert.sha256.slice(0, 23)}…`,
          expired ? `the certificate expired on ${cert.notAfter.toISOString()}; Salesforce accepts it anyway, by design` : undefined,
        );
      }
    }
    return fail(
      'signatureInvalid',
      expected,
      assertion.signature.length === 0
        ? 'no signature'
        : `the certificate does not match: the signature verifies with none of the certificates on the app (tried ${certs.map((c) => `${c.sha256.slice(0, 11)}…`).join(', ')})`,
      `Sign with the private key that matches the certificate on "${app.name}", or upload the certificate of the key you sign with. Check the JWT was not changed after signing.`,
    );
  },
};
