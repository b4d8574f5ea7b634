/**
 * Sending a built request and reading Salesforce's answer: a token, or the error with its status.
 * `fetch` and the clock are injected; redirects are not followed (a lightning host's 302 is an
 * answer to report, not to chase). A network failure is a result too, never a throw.
 */
import type { KeyObject } from 'node:crypto';
import { type BuiltRequest, buildRequest, type RequestContext } from './build-request.ts';
import { describeCertificate, type FetchLike, type PresentedCertificate } from './https-fetch.ts';

/** What fetch threw when no answer arrived: the error, and the cause undici gives with it. */
export interface NetworkFailure {
  /** The error's name: TypeError ("fetch failed"), TimeoutError, AbortError, … */
  name: string;
  message: string;
  /** The cause's code (ECONNREFUSED, UND_ERR_SOCKET, DEPTH_ZERO_SELF_SIGNED_CERT, …), or the error's own. */
  code?: string;
  /** The cause's message; empty when the cause says nothing (how Node's fetch fails on a proxy's 407). */
  causeMessage?: string;
  /** The certificate the server presented, when the error was about it. */
  certificate?: PresentedCertificate;
}

export interface TokenAnswer {
  /** HTTP status; 0 when no answer arrived (connection refused, dropped, …). */
  status: number;
  ok: boolean;
  error?: string;
  errorDescription?: string;
  accessToken?: string;
  instanceUrl?: string;
  id?: string;
  scope?: string;
  /** json, html, text or none: what the body was. */
  bodyKind: 'json' | 'html' | 'text' | 'none';
  /** The mock's trace id, when the target is the mock and not in strict mode. */
  traceId?: string;
  location?: string;
  /** The server's Date header, to compare clocks. */
  date?: string;
  networkError?: string;
  /** The error in full, when no answer arrived. */
  failure?: NetworkFailure;
  /** The <title> of an HTML body. */
  pageTitle?: string;
}

export function parseTokenResponse(status: number, headers: Headers, text: string): TokenAnswer {
  const answer: TokenAnswer = { status, ok: false, bodyKind: text === '' ? 'none' : 'text' };
  const trace = headers.get('x-sfjwt-trace');
  if (trace !== null) answer.traceId = trace;
  const date = headers.get('date');
  if (date !== null) answer.date = date;
  const location = headers.get('location');
  if (location !== null) answer.location = location;
  if (/^\s*</.test(text)) {
    answer.bodyKind = 'html';
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    if (title !== undefined && title !== '') answer.pageTitle = title;
  }
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      answer.bodyKind = 'json';
      const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
      const set = <K extends keyof TokenAnswer>(k: K, v: TokenAnswer[K] | undefined) => {
        if (v !== undefined) answer[k] = v;
      };
      set('error', str('error'));
      set('errorDescription', str('error_description'));
      set('accessToken', str('access_token'));
      set('instanceUrl', str('instance_url'));
      set('id', str('id'));
      set('scope', str('scope'));
    }
  } catch {
    // Not JSON: an HTML page or plain text, reported as such.
  }
  answer.ok = status === 200 && answer.accessToken !== undefined;
  return answer;
}

export async function sendRequest(request: BuiltRequest, fetch: FetchLike): Promise<TokenAnswer> {
  const init: RequestInit = { method: request.method, headers: request.headers, redirect: 'manual' };
  // A string body makes fetch add Content-Type: text/plain; bytes keep "no Content-Type" true to its word.
  if (request.body !== undefined) init.body = Object.keys(request.headers).some((h) => h.toLowerCase() === 'content-type') ? request.body : new TextEncoder().encode(request.body);
  try {
    const res = await fetch(request.url, init);
    return parseTokenResponse(res.status, res.headers, await res.text());
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    // An empty code or message says nothing: the next one is kept (a 407 fails with a cause whose message is empty).
    return { status: 0, ok: false, bodyKind: 'none', networkError: cause?.code || cause?.message || (error as Error).message, failure: networkFailure(error) };
  }
}

/** The parts of a fetch error a diagnosis reads; the certificate from the cause (see https-fetch.ts). */
function networkFailure(error: unknown): NetworkFailure {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  const c = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as { code?: unknown; message?: unknown; presentedCertificate?: PresentedCertificate; cert?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const failure: NetworkFailure = { name: text(e.name) ?? 'Error', message: text(e.message) ?? '' };
  const code = text(c.code) ?? text(e.code);
  if (code !== undefined) failure.code = code;
  if (typeof e.cause === 'object' && e.cause !== null && typeof c.message === 'string') failure.causeMessage = c.message;
  if (c.presentedCertificate !== undefined) failure.certificate = c.presentedCertificate;
  else if (typeof c.cert === 'object' && c.cert !== null && 'subject' in c.cert) failure.certificate = describeCertificate(c.cert as Parameters<typeof describeCertificate>[0]);
  return failure;
}

export interface RequestTokenOptions {
  /** Base URL to post to: https://login.salesforce.com, https://test.salesforce.com or a My Domain. */
  loginUrl: string;
  consumerKey: string;
  username: string;
  privateKey: KeyObject;
  /** `aud`; the login URL by default. */
  audience?: string;
  fetch?: FetchLike;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/** The correct JWT Bearer request, sent: what a careful client does. */
export async function requestToken(options: RequestTokenOptions): Promise<TokenAnswer> {
  const base = options.loginUrl.replace(/\/+$/, '');
  const ctx: RequestContext = {
    consumerKey: options.consumerKey,
    username: options.username,
    privateKey: options.privateKey,
    hostUrl: () => base,
    realUrl: () => base,
    usernameOf: () => undefined,
    host: 'login',
    audience: options.audience ?? base,
    now: (options.now ?? Date.now)(),
  };
  return sendRequest(buildRequest(ctx), options.fetch ?? ((i, init) => fetch(i, init)));
}
