export { appAccessCheck, ipRestrictionCheck, rateLimitCheck } from './access.ts';
export { algCheck, assertionCheck, decodeAssertion } from './assertion.ts';
export { audienceCheck, normaliseAudience } from './audience.ts';
export { expiryCheck } from './expiry.ts';
export { grantTypeCheck, isFormContentType, JWT_BEARER } from './grant-type.ts';
export { issuerCheck } from './issuer.ts';
export { signatureCheck } from './signature.ts';
export { hostCheck, methodCheck, pathCheck, tlsCheck, TOKEN_PATH } from './transport.ts';
export { userCheck, userStateCheck } from './user.ts';
