/**
 * The flow step by step, as the field guide tells it: keys and certificate, the connected app, the
 * three ways a user is approved, the JWT, the token request, using the token, and when it ends. The
 * words of each step are the guide's own; what each step is judged by is not: a step names the checks
 * (by id) that decide whether it was done right and the scenarios that show it done right or wrong,
 * and the model fills in their titles, answers and reproductions from the catalogues. The example
 * claims are those the client builds (src/client/assertion.ts) for the training ground's user.
 */
import type { CheckId } from '../../mock-server/core/check.ts';
import { LATEST_API_VERSION } from '../../mock-server/core/rest/versions.ts';
import { TOKEN_PATH } from '../client/build-request.ts';
import type { SequenceDiagram } from './guide-diagram.ts';

export interface FlowStep {
  id: string;
  title: string;
  /** Paragraphs, plain text with `code` spans. */
  text: readonly string[];
  /** Sub-steps, each a title and a paragraph (the three ways of approval). */
  ways?: readonly { title: string; text: string; scenarios: readonly string[] }[];
  /** The checks that judge this step. */
  checks: readonly CheckId[];
  /** Scenarios that show it done right or wrong. */
  scenarios: readonly string[];
  /** Knobs whose description says what Salesforce does here. */
  knobs?: readonly string[];
}

const API = `/services/data/v${LATEST_API_VERSION}.0`;

export const FLOW_STEPS: readonly FlowStep[] = [
  {
    id: 'keys',
    title: 'Keys and certificate',
    text: [
      'Make an RSA key pair and a certificate of its public key (`npx sfjwt keys generate --out keys`, or openssl). The private key stays with the integration and signs every assertion; the certificate goes to Salesforce, which verifies the signature with it. Salesforce takes RS256 only.',
      'Check that the key and the certificate belong together before uploading: `npx sfjwt keys check --key keys/server.key --cert keys/server.crt`.',
    ],
    checks: ['alg', 'signature'],
    scenarios: ['baseline.login', 'signature.wrong-key', 'alg.rs512'],
  },
  {
    id: 'connected-app',
    title: 'The connected app',
    text: [
      'In Setup, App Manager, New Connected App: enable OAuth, tick "Use digital signatures" and upload the certificate, choose the scopes (api, refresh_token/offline_access as the org requires). Its consumer key is the `iss` of every assertion.',
      'Changes to the app take minutes to reach every server: a new or changed app can answer as unknown for a while. A deploy of the app without its certificate removes the certificate.',
    ],
    checks: ['issuer', 'signature'],
    scenarios: ['claims.iss-consumer-secret', 'app.changed-minutes-ago', 'signature.certificate-cleared'],
  },
  {
    id: 'approval',
    title: 'Approval: three ways',
    text: ['A JWT login shows no consent page, so the user must be allowed to use the app before the first assertion. There are three ways; the app-access check judges which one applies.'],
    ways: [
      {
        title: 'Self-authorize, with the user approving once',
        text: 'The app\'s Permitted Users is "All users may self-authorize": the user approves the app once through an interactive flow (the authorize / web-server flow: open /services/oauth2/authorize?response_type=code&client_id=… , log in, click Allow). From then on the JWT flow logs that user in. The mock serves this flow: `npx sfjwt serve` prints the training users\' passwords.',
        scenarios: ['baseline.login', 'user.never-approved'],
      },
      {
        title: 'Admin-approved users, pre-authorized by profile or permission set',
        text: 'Permitted Users is "Admin approved users are pre-authorized", and the user\'s profile or one of the user\'s permission sets is added to the app (Manage, Profiles / Permission Sets). No approval by the user is needed.',
        scenarios: ['baseline.admin-approved', 'user.profile-not-admitted'],
      },
      {
        title: 'An External Client App installed in the org',
        text: "An External Client App is installed in the user's org (or made there) and its policies admit the user; its token requests go to the org's My Domain, with the My Domain as `aud`.",
        scenarios: ['app.eca-my-domain', 'app.eca-not-installed', 'app.eca-login-audience'],
      },
    ],
    checks: ['app-access'],
    scenarios: [],
  },
  {
    id: 'jwt',
    title: 'The JWT',
    text: [
      'The header is `{"alg":"RS256"}`. The claims: `iss` the consumer key, `sub` the username (as Salesforce spells it, sandbox suffix included), `aud` the login host the request goes to (`https://login.salesforce.com`, `https://test.salesforce.com` for a sandbox, or the site\'s URL), `exp` a few minutes ahead in seconds since the epoch. Sign `base64url(header).base64url(claims)` with the private key; the assertion is those two parts and the signature, joined by dots.',
      '`npx sfjwt sign` builds and lints one; `npx sfjwt inspect <JWT>` reads one as Salesforce does.',
    ],
    checks: ['assertion', 'alg', 'issuer', 'signature', 'audience', 'expiry', 'user'],
    scenarios: ['baseline.login', 'aud.test-at-login', 'exp.past', 'sub.typo'],
  },
  {
    id: 'token-request',
    title: 'The token request',
    text: [
      `POST the assertion, form-encoded, over HTTPS to ${TOKEN_PATH} on the login host (or the My Domain): \`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>\`. Salesforce answers 200 with \`access_token\`, \`instance_url\`, \`id\`, \`token_type\` and \`scope\`, and no refresh token; every error is a 400 JSON body with \`error\` and \`error_description\` (below, every one of them).`,
    ],
    checks: ['host', 'path', 'method', 'tls', 'grant-type', 'user-state', 'ip-restriction', 'rate-limit'],
    scenarios: ['baseline.login', 'grant-type.grand-type', 'form.json-body', 'send.wrong-path'],
  },
  {
    id: 'using-the-token',
    title: 'Using the token',
    text: [
      `Call the API at \`instance_url\` (not the login host) with \`Authorization: Bearer <access_token>\`, for example \`GET ${API}/limits\`. An access token is a session: keep it, and reuse it until it ends.`,
    ],
    checks: [],
    scenarios: [],
  },
  {
    id: 'when-it-ends',
    title: 'When it ends, log in again',
    text: [
      "The session ends after the org's session timeout of inactivity, when it is revoked (`POST /services/oauth2/revoke` with `token=`), or when the user is deactivated or frozen. The API then answers 401 `INVALID_SESSION_ID`. The JWT flow gives no refresh token: sign a new assertion and request a new token, which needs no user present.",
    ],
    checks: [],
    scenarios: [],
    knobs: ['sessionTimeoutSeconds', 'deactivationEndsSessions', 'freezeEndsSessions'],
  },
];

export const FLOW_DIAGRAM: SequenceDiagram = {
  title: 'The OAuth 2.0 JWT Bearer flow with Salesforce',
  lanes: [
    { id: 'admin', label: 'Admin', note: 'Setup, once' },
    { id: 'client', label: 'Integration', note: 'holds the private key' },
    { id: 'login', label: 'Salesforce org', note: 'Setup; the token endpoint' },
    { id: 'api', label: 'Salesforce API', note: 'instance_url' },
  ],
  messages: [
    { from: 'admin', to: 'login', label: 'Connected app + certificate', note: 'consumer key = iss' },
    { from: 'admin', to: 'login', label: 'Approve the user', note: 'one of three ways' },
    { from: 'client', to: 'client', label: 'Sign a JWT, RS256', note: 'iss, sub, aud, exp' },
    { from: 'client', to: 'login', label: `POST ${TOKEN_PATH}`, note: 'grant_type=…jwt-bearer & assertion' },
    { from: 'login', to: 'client', label: '200 access_token, instance_url', note: 'or 400 error: see below', reply: true },
    { from: 'client', to: 'api', label: `GET ${API}/…`, note: 'Authorization: Bearer <token>' },
    { from: 'api', to: 'client', label: '200 data', note: 'the session stays alive while used', reply: true },
    { from: 'api', to: 'client', label: '401 INVALID_SESSION_ID', note: 'timed out or revoked: sign again (3)', reply: true },
  ],
};
