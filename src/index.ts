export * from '../mock-server/index.ts';
export { buildClaims, importPrivateKey, JWT_BEARER_GRANT, signAssertion, tokenForm } from './client/assertion.ts';
export { fetchTrusting, type FetchLike } from './client/https-fetch.ts';
export { KeyMaterialError, ResourceError, SfjwtError, UsageError, WorldError, formatError } from './errors.ts';
export { readCertificate, publicKeyFingerprint, type CertificateInfo } from './keys/certificate.ts';
export { generateRsaKeyPair, issueCertificate, parseSubject } from './keys/generate.ts';
