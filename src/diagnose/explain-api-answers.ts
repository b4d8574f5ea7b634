/**
 * What the REST API and the identity service answer once a client has its token, as `explain` tells
 * it: 401 INVALID_SESSION_ID ("Session expired or invalid"), 403 Bad_OAuth_Token and 403 Bad_Id.
 * These answers come from no token-endpoint check (the token request had succeeded), so they are
 * not in the check catalogue; each is described here with its causes, how to confirm each and the
 * fix. The bodies are the mock's (mock-server/core/rest.ts), which src/cli/token.test.ts asks the
 * mock for and pastes into explain, so the two cannot drift apart.
 */
import type { Confidence } from '../../mock-server/core/knobs.ts';
import { normalise } from './explain-match.ts';

export interface ApiCause {
  id: string;
  title: string;
  description: string;
  /** How to confirm (or rule out) this cause with what a client can see. */
  confirm: string;
  fix: string;
}

export interface ApiAnswer {
  /** The errorCode (REST) or the whole text body (identity). */
  code: string;
  /** The REST API's message, when the answer has one. */
  message: string | null;
  status: number;
  /** Who answers it. */
  service: string;
  /** The body as sent. */
  body: string;
  meaning: string;
  causes: ApiCause[];
  confidence: Confidence;
}

const expired = (what: string): ApiCause => ({
  id: 'session-expired',
  title: 'The session timed out',
  description: `An access token lasts as long as the session timeout of the user's profile or of the org (Setup > Session Settings; two hours by default), counted from its last use; the JWT Bearer flow gives no refresh token, so ${what} once that time has passed.`,
  confirm: 'The same token worked before, and more time than the session timeout has passed since its last use.',
  fix: 'When a call gets this answer, sign a new assertion and request a new token (npx sfjwt token does both), then retry the call once; keep one token per org and user and share it between workers rather than logging in per call.',
});

const revoked: ApiCause = {
  id: 'session-revoked',
  title: 'The session was ended',
  description:
    "An admin removed the session (Setup > Session Management) or revoked the app's tokens (Setup > Connected Apps OAuth Usage), the user was frozen or deactivated, or the token was revoked through /services/oauth2/revoke. A session locked to the IP address it began from (Session Settings) also ends for calls from another address.",
  confirm: 'Setup > Session Management no longer lists the session; a new token request for the same user (npx sfjwt token) says whether the user can still log in.',
  fix: 'Request a new token; when that fails too, its answer (user is frozen, inactive user, …) names the cause.',
};

const damaged: ApiCause = {
  id: 'token-damaged',
  title: 'The token did not arrive whole',
  description:
    'The Authorization header must be "Bearer <access token>" with the token exactly as issued. A token cut short at "!" (a shell expands "!" inside double quotes), wrapped in quotes, with a line break at its end, or sent as "Bearer Bearer …" is not a session.',
  confirm: 'Log the header your client sends, showing the org Id before "!" and the length of the rest (never the token), and compare them with the token answer.',
  fix: 'Send Authorization: Bearer <token> with the token untouched; in a shell, keep it in a variable or in single quotes.',
};

export const API_ANSWERS: readonly ApiAnswer[] = [
  {
    code: 'INVALID_SESSION_ID',
    message: 'Session expired or invalid',
    status: 401,
    service: 'the REST API',
    body: '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
    meaning:
      'The REST API does not take the access token as a live session on this host. The token request had succeeded: this is about using the token, which has expired, was ended, belongs to another host, or did not arrive whole.',
    causes: [
      expired('every call gets INVALID_SESSION_ID'),
      {
        id: 'wrong-host',
        title: 'The token is used on another host than its instance',
        description:
          "A token is good on its org's own My Domain, the instance_url of the token answer. A call to login.salesforce.com, test.salesforce.com or another org's My Domain gets INVALID_SESSION_ID however fresh the token is.",
        confirm: 'Compare the host of the failing call with instance_url in the token answer (npx sfjwt token shows it).',
        fix: 'Call the REST API at the instance_url the token answer returned, not at the login URL the token was requested from.',
      },
      revoked,
      damaged,
    ],
    confidence: 'OBS+',
  },
  {
    code: 'Bad_OAuth_Token',
    message: null,
    status: 403,
    service: 'the identity service: the id URL and /services/oauth2/userinfo',
    body: 'Bad_OAuth_Token',
    meaning:
      'The identity service does not take the access token: it has expired, was ended, or did not arrive whole. It answers in plain text, not JSON, so a client that parses every answer as JSON fails on it.',
    causes: [expired('the id URL and userinfo answer Bad_OAuth_Token'), revoked, damaged],
    confidence: 'OBS+',
  },
  {
    code: 'Bad_Id',
    message: null,
    status: 403,
    service: 'the identity service: the id URL',
    body: 'Bad_Id',
    meaning: "The access token is a live session, but the id URL names another org or user than the token's own.",
    causes: [
      {
        id: 'id-of-another-user',
        title: 'The id URL is of another user or org',
        description: "The identity URL /id/<org Id>/<user Id> answers only for the user whose session the token is; another user's or org's Ids get Bad_Id.",
        confirm: 'Compare the id URL called with the id field of the token answer.',
        fix: 'Call the id URL of the same token answer (its id field), or /services/oauth2/userinfo, which needs no Ids.',
      },
      {
        id: 'token-of-another-login',
        title: 'The token comes from another login',
        description: 'A token cache keyed by org only, or shared between users, hands out the token of another user than the one whose id URL is called.',
        confirm: 'Log the username each cached token was issued for.',
        fix: 'Key the token cache by org and username.',
      },
    ],
    confidence: 'INF',
  },
];

const word = (code: string) => new RegExp(`(^|[^a-z0-9_])${code.toLowerCase()}($|[^a-z0-9_])`);

/** The answers a query names: an errorCode in a pasted REST body, a code or message, whole or in a log line. */
export function matchApiAnswers(query: string): ApiAnswer[] {
  const rest = /"errorCode"\s*:\s*"([A-Za-z_]+)"/.exec(query)?.[1];
  if (rest !== undefined) return API_ANSWERS.filter((a) => a.code === rest);
  const q = normalise(query);
  if (q === '') return [];
  const exact = API_ANSWERS.filter((a) => q === a.code.toLowerCase() || (a.message !== null && q === normalise(a.message)));
  if (exact.length > 0) return exact;
  return API_ANSWERS.filter((a) => word(a.code).test(q) || (a.message !== null && q.includes(normalise(a.message))));
}
