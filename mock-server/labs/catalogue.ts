/**
 * The labs, easiest first: request mistakes a trainee fixes in request.json, then org setups fixed
 * in Setup (the console's App Manager and Users pages, the admin API, the authorize flow). Each
 * breaks one thing on the training ground; the symptom is Salesforce's answer, written down here
 * apart from the code that produces it, and src/training/labs.test.ts proves the broken setup gets
 * it, the intended fix passes the check and a plausible wrong fix does not.
 */
import type { Lab, NumberedLab } from './lab.ts';

const APP = 'Acme Integration';
const ADMIN_APP = 'Acme Admin-Approved Integration';
const ECA = 'Acme External Client App';
const err = (error: string, description: string) => JSON.stringify({ error, error_description: description });
const INVALID_ASSERTION = err('invalid_grant', 'invalid assertion');

const LABS: readonly Lab[] = [
  {
    id: 'grant-type-typo',
    title: 'The nightly sync never logs in',
    story: 'A new integration was written from a blog post. Every login attempt fails before Salesforce even looks at the JWT.',
    symptom: { status: 400, body: err('unsupported_grant_type', 'grant type not supported') },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    starter: (d) => {
      d.form = { grand_type: d.form['grant_type'] ?? '', assertion: '{{assertion}}' };
    },
    scenario: 'grant-type.grand-type',
    fixedIn: 'request',
    hints: [
      'unsupported_grant_type means Salesforce found no grant_type it knows among the form fields it read.',
      'Read the form field names in request.json letter by letter.',
      'The field is grant_type (with a t), and its value urn:ietf:params:oauth:grant-type:jwt-bearer.',
    ],
    teaches: 'The form fields are read by exact name; an unknown field is ignored, so a typo reads as a missing grant_type.',
  },
  {
    id: 'json-body',
    title: 'The new HTTP library',
    story: 'The integration moved to an HTTP library that sends JSON by default. The fields look right, the values look right, and the login fails.',
    symptom: { status: 400, body: err('unsupported_grant_type', 'grant type not supported') },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    starter: (d) => {
      d.contentType = 'application/json';
    },
    scenario: 'form.json-body',
    fixedIn: 'request',
    hints: [
      'The values are right: look at how the body is encoded, not at what it holds.',
      'The token endpoint reads an HTML form body only; anything else has no grant_type for it.',
      'Send Content-Type: application/x-www-form-urlencoded with a form-encoded body.',
    ],
    teaches: 'The token endpoint takes application/x-www-form-urlencoded; a JSON body is not read at all.',
  },
  {
    id: 'iss-capitalised',
    title: 'The client Salesforce does not know',
    story: 'The consumer key was copied from the connected app twice and it is right, yet Salesforce says it does not know the client.',
    symptom: { status: 400, body: err('invalid_client_id', 'client identifier invalid') },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    starter: (d) => {
      const { iss, ...rest } = d.jwt.claims;
      d.jwt.claims = { Iss: iss, ...rest };
    },
    scenario: 'claims.iss-capitalised',
    fixedIn: 'request',
    hints: [
      'client identifier invalid: Salesforce did not find a consumer key in the JWT it could match to an app.',
      'JSON claim names are case-sensitive. Compare each claim name with RFC 7519.',
      'The claim is iss, all lower case.',
    ],
    teaches: 'Claim names are case-sensitive: "Iss" is not "iss", and a JWT without iss names no app.',
  },
  {
    id: 'hmac-signature',
    title: 'Signed, but not accepted',
    story: 'The JWT library was set up with the options of another project. The assertion decodes fine on jwt.io, but Salesforce refuses it.',
    symptom: { status: 400, body: INVALID_ASSERTION },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    starter: (d) => {
      d.jwt.header = { ...d.jwt.header, alg: 'HS256' };
    },
    scenario: 'alg.hs256-private-key-text',
    fixedIn: 'request',
    hints: [
      'invalid assertion is about the JWT itself: its form, its algorithm or its exp.',
      "Decode the JWT's header (npx sfjwt inspect) and look at alg.",
      'Salesforce takes RS256 only: an RSA signature with the private key whose certificate is on the app, never an HMAC.',
    ],
    teaches: 'Salesforce verifies RS256 with the certificate on the app; HS256 (a shared secret) and other algorithms are refused.',
  },
  {
    id: 'aud-token-url',
    title: 'The audience',
    story: "Someone set the JWT's audience to the URL the integration posts to. It seemed logical.",
    symptom: { status: 400, body: err('invalid_grant', 'audience is invalid') },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    starter: (d) => {
      d.jwt.claims['aud'] = 'https://login.salesforce.com/services/oauth2/token';
    },
    scenario: 'aud.token-url',
    fixedIn: 'request',
    hints: [
      'audience is invalid: aud is not one Salesforce accepts on this host.',
      'aud names the authorization server, not the token endpoint.',
      'For a production org at login.salesforce.com, aud is https://login.salesforce.com (no path).',
    ],
    teaches: 'aud is the login host (https://login.salesforce.com, https://test.salesforce.com or the My Domain), not the token URL.',
  },
  {
    id: 'skewed-clock',
    title: 'The server in the back room',
    story: 'The integration runs on an old server whose clock nobody has checked for a while. Logins fail with an answer about something expired.',
    symptom: { status: 400, body: err('invalid_grant', 'expired authorization code') },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    starter: (d) => {
      d.clockOffsetSeconds = -3600;
    },
    scenario: 'exp.past',
    fixedIn: 'request',
    hints: [
      'expired authorization code, in the JWT Bearer flow, is about exp: it is in the past as Salesforce sees the time.',
      "exp is computed from the sending machine's clock. Compare that clock with the real time (clockOffsetSeconds in request.json plays that clock).",
      "Fix the machine's clock (NTP), so exp = now + a few minutes is really in the future; a longer lifetime only hides the skew.",
    ],
    teaches: "exp comes from the client's clock: a clock an hour slow makes every assertion expired; the fix is the clock, not a longer lifetime.",
  },
  {
    id: 'sandbox-user-at-login',
    title: 'It works in UAT',
    story: 'The integration works against production. Pointed at the UAT sandbox with its sandbox user, every login fails.',
    symptom: { status: 400, body: err('invalid_grant', "user hasn't approved this consumer") },
    as: { username: 'integration@acme.com.uat', app: APP, host: 'login' },
    scenario: 'sub.sandbox-user-at-login',
    fixedIn: 'request',
    hints: [
      'The message speaks of approval, but first ask: can this host find this user at all?',
      'login.salesforce.com serves production orgs; sandbox users log in elsewhere.',
      'Post to https://test.salesforce.com (or the sandbox My Domain) and make aud the same host: https://test.salesforce.com.',
    ],
    teaches: 'A sandbox user is unknown at login.salesforce.com: post to test.salesforce.com with aud https://test.salesforce.com. The answer names approval, not the host.',
  },
  {
    id: 'key-certificate-mismatch',
    title: 'After the certificate renewal',
    story: 'The certificate of the connected app was renewed last week by another team. Since then the integration cannot log in, and its key has not changed.',
    symptom: { status: 400, body: INVALID_ASSERTION },
    as: { username: 'integration@acme.com', app: APP, host: 'login' },
    breaks: [{ replaceCertificate: APP }],
    scenario: 'signature.wrong-key',
    fixedIn: 'org',
    hints: [
      'The JWT is well formed and RS256: what else does Salesforce verify before it looks at the user?',
      "Compare the certificate on the app (App Manager, SHA-256 fingerprint) with your key's certificate (npx sfjwt keys check --key … --cert …).",
      "Upload the certificate of the key the integration signs with (the lab folder's server.crt) to the app: App Manager > Acme Integration > Upload a certificate.",
    ],
    teaches: 'The signature is verified with the certificate on the app: a certificate of another key makes every assertion invalid, however right the claims are.',
  },
  {
    id: 'never-approved',
    title: 'The new service account',
    story: 'A new user, unapproved@acme.com, was made for the integration. Its username, key and app are right, and Salesforce says approval is missing.',
    symptom: { status: 400, body: err('invalid_grant', "user hasn't approved this consumer") },
    as: { username: 'unapproved@acme.com', app: APP, host: 'login' },
    scenario: 'user.never-approved',
    fixedIn: 'org',
    hints: [
      'The app lets users self-authorize: each user must approve it once, and the JWT flow never asks.',
      'Approve the app as the user once: the authorize flow in a browser (the README shows the URL), log in as unapproved@acme.com, Allow.',
      'Or, as an admin: approve the app for the user (the console: Users > unapproved@acme.com > Approve Acme Integration).',
    ],
    teaches: 'With "All users may self-authorize", the JWT flow needs a prior approval by the user (with the refresh_token scope), given once through an interactive flow.',
  },
  {
    id: 'profile-not-admitted',
    title: 'Pre-authorized, supposedly',
    story: 'The app was set to "Admin approved users are pre-authorized" so nobody has to click Allow. The analyst account still cannot log in.',
    symptom: { status: 400, body: err('invalid_app_access', 'user is not admin approved to access this app') },
    as: { username: 'analyst@acme.com', app: ADMIN_APP, host: 'login' },
    scenario: 'user.profile-not-admitted',
    fixedIn: 'org',
    hints: [
      'Pre-authorized means: only users whose profile or permission set the app admits.',
      "Compare the user's profile and permission sets with the app's Profiles and Permission Sets (App Manager, Users).",
      'Assign the user the permission set the app admits (JWT Integration), or a profile it admits.',
    ],
    teaches: 'Admin-approved apps admit users by profile or permission set; a user approving the app does not count.',
  },
  {
    id: 'frozen-user',
    title: 'After the security review',
    story: 'A security review went through the org last night. This morning the reporting integration fails.',
    symptom: { status: 400, body: err('invalid_grant', 'user is frozen') },
    as: { username: 'frozen@acme.com', app: APP, host: 'login' },
    scenario: 'user.frozen',
    fixedIn: 'org',
    hints: [
      "The answer names the user's state. Look the user up in Setup > Users.",
      'A frozen user is still active, but cannot log in by any flow.',
      'Unfreeze the user (the console: Users > frozen@acme.com > Unfreeze).',
    ],
    teaches: 'A frozen user cannot log in at all; activating is not unfreezing.',
  },
  {
    id: 'ip-restricted',
    title: 'The new data centre',
    story: 'The integration moved to a new data centre (here, 127.0.0.1). Its user remote@acme.com logged in from the old one without trouble.',
    symptom: { status: 400, body: err('invalid_grant', 'ip restricted') },
    as: { username: 'remote@acme.com', app: APP, host: 'login' },
    scenario: 'user.ip-restricted',
    fixedIn: 'org',
    hints: [
      'ip restricted: the address the request came from is not one this user may log in from.',
      "The JWT Bearer flow always enforces the Login IP Ranges of the user's profile, whatever the app's IP relaxation.",
      'Add the new address to the Login IP Ranges (POST /__sfjwt/setup/login-ip-ranges {"username":"remote@acme.com","ranges":[{"start":"127.0.0.1","end":"127.0.0.1"}]}), or clear them.',
    ],
    teaches: 'Login IP Ranges on the profile apply to the JWT Bearer flow even when the app relaxes IP restrictions.',
  },
  {
    id: 'eca-not-installed',
    title: 'The External Client App in the sandbox',
    story: 'The team replaced its connected app with an External Client App in production and now tests it in the UAT sandbox, at the sandbox My Domain.',
    symptom: { status: 400, body: err('app_not_found', 'External client app is not installed in this org') },
    as: { username: 'integration@acme.com.uat', app: ECA, host: 'my-domain' },
    scenario: 'app.eca-not-installed',
    fixedIn: 'org',
    hints: [
      'The answer says where the app is missing: in the org of the user.',
      'An External Client App lives in the org it was made in, and is installed (or deployed) into others.',
      'Install the app in the sandbox (POST /__sfjwt/setup/install-app {"app":"Acme External Client App","org":"acme-uat"}).',
    ],
    teaches: 'External Client Apps must be installed in every org they log in to; a sandbox copy does not bring them along.',
  },
];

export const LAB_CATALOGUE: readonly NumberedLab[] = LABS.map((lab, i) => ({ ...lab, number: i + 1 }));

/** A lab by number (`3`) or id (`iss-capitalised`). */
export function findLab(ref: string | number): NumberedLab | undefined {
  const n = typeof ref === 'number' ? ref : /^\d{1,3}$/.test(ref) ? Number(ref) : undefined;
  return n === undefined ? LAB_CATALOGUE.find((l) => l.id === ref) : LAB_CATALOGUE[n - 1];
}
