/**
 * The reserved path of the admin API on every host of the mock. Salesforce serves nothing under it,
 * so a client can never reach it by mistake; the routes, the client, the adapters (which print its
 * URL) and the Setup functions (whose fixes point at it) all read it from here.
 */
export const ADMIN_PREFIX = '/__sfjwt';
