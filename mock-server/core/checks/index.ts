export { appAccessCheck, ipRestrictionCheck, rateLimitCheck } from './access.ts';
export { algCheck, assertionCheck } from './assertion.ts';
export { audienceCheck } from './audience.ts';
export { expiryCheck } from './expiry.ts';
export { grantTypeCheck } from './grant-type.ts';
export { issuerCheck } from './issuer.ts';
export { signatureCheck } from './signature.ts';
export { hostCheck, methodCheck, pathCheck, tlsCheck } from './transport.ts';
export { userCheck, userStateCheck } from './user.ts';
