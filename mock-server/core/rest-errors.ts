/**
 * The REST API's answers as Salesforce words them: the error list `[{"message":…,"errorCode":…}]`
 * with the documented texts, and JSON answers built without the envelope (Date, BrowserId cookie,
 * security headers, Sforce-Limit-Info), which the REST router adds to every answer it hands out
 * (`finishRest`). A data route can thus answer `restError(400, 'INVALID_FIELD', …)` without knowing
 * the cookie or the clock. The SOQL texts carry Salesforce's excerpt of the query (`soqlMessage`).
 */
import { jsonResponse, type WireOptions, type WireResponse } from './responses.ts';

const JSON_TYPE = 'application/json;charset=UTF-8';

/** `NOT_FOUND` for an unknown REST resource or version. */
export const NOT_FOUND_MESSAGE = 'The requested resource does not exist';
/** `INVALID_SESSION_ID` for a bad, expired or revoked access token, or one used on another org's host. */
export const INVALID_SESSION_MESSAGE = 'Session expired or invalid';
/** `REQUEST_LIMIT_EXCEEDED` once the org's DailyApiRequests are spent. */
export const REQUEST_LIMIT_MESSAGE = 'TotalRequests Limit exceeded.';
/** The 410 of a retired API version: the status is documented, the body is inferred. */
export const RETIRED_VERSION_MESSAGE = 'The requested API version has been retired and is no longer available';
/** `INVALID_QUERY_LOCATOR` for a queryMore locator that is unknown or used up. */
export const INVALID_QUERY_LOCATOR_MESSAGE = 'invalid query locator';

/** The tail of INVALID_TYPE for an object name the org does not have. */
export function invalidTypeText(objectName: string): string {
  return `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;
}

/** The tail of INVALID_FIELD for a field the object does not have. */
export function invalidFieldText(field: string, objectName: string): string {
  return `No such column '${field}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
}

/** The tail of MALFORMED_QUERY at a token the grammar does not expect (`<EOF>` at the end). */
export function unexpectedTokenText(token: string): string {
  return `unexpected token: ${token}`;
}

/**
 * A SOQL error message as Salesforce frames it: the query on its own line, a caret under the
 * offending column, `ERROR at Row:r:Column:c`, then the text. `column` is 1-based.
 */
export function soqlMessage(query: string, row: number, column: number, text: string): string {
  return `\n${query}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:${row}:Column:${column}\n${text}`;
}

/**
 * A JSON answer without the envelope; the REST router completes it. Object keys are written in the
 * order given, as Salesforce's serialiser keeps its own order.
 */
export function restJson(status: number, body: unknown): WireResponse {
  return { status, headers: [['Content-Type', JSON_TYPE]], body: JSON.stringify(body) };
}

/** Salesforce's error list with one entry, `message` first (the order of most REST errors). */
export function restError(status: number, errorCode: string, message: string): WireResponse {
  return restJson(status, [{ message, errorCode }]);
}

/** 404 NOT_FOUND, which Salesforce writes `errorCode` first. */
export function notFound(): WireResponse {
  return restJson(404, [{ errorCode: 'NOT_FOUND', message: NOT_FOUND_MESSAGE }]);
}

/** 410 GONE for a path under a retired API version. */
export function retiredVersion(): WireResponse {
  return restJson(410, [{ errorCode: 'GONE', message: RETIRED_VERSION_MESSAGE }]);
}

/** 401 INVALID_SESSION_ID with `WWW-Authenticate: Token`. */
export function invalidSession(): WireResponse {
  const response = restError(401, 'INVALID_SESSION_ID', INVALID_SESSION_MESSAGE);
  response.headers.push(['WWW-Authenticate', 'Token']);
  return response;
}

/** 403 REQUEST_LIMIT_EXCEEDED. */
export function requestLimitExceeded(): WireResponse {
  return restError(403, 'REQUEST_LIMIT_EXCEEDED', REQUEST_LIMIT_MESSAGE);
}

/** 400 INVALID_TYPE for a query naming `objectName` at `column` (1-based) of `query`. */
export function invalidType(query: string, column: number, objectName: string): WireResponse {
  return restError(400, 'INVALID_TYPE', soqlMessage(query, 1, column, invalidTypeText(objectName)));
}

/** 400 INVALID_FIELD for `field` of `objectName` at `column` (1-based) of `query`. */
export function invalidField(query: string, column: number, field: string, objectName: string): WireResponse {
  return restError(400, 'INVALID_FIELD', soqlMessage(query, 1, column, invalidFieldText(field, objectName)));
}

/** 400 MALFORMED_QUERY at `token` (column 1-based). */
export function malformedQuery(query: string, column: number, token: string): WireResponse {
  return restError(400, 'MALFORMED_QUERY', soqlMessage(query, 1, column, unexpectedTokenText(token)));
}

/**
 * A REST answer with Salesforce's envelope: Date, the BrowserId cookie and the security headers
 * first (as `jsonResponse` writes them), then the answer's own headers; an answer that already has
 * its envelope (a Date header) is left as it is. `extra` headers (Sforce-Limit-Info) go last.
 */
export function finishRest(response: WireResponse, wire: WireOptions, extra: readonly [string, string][] = []): WireResponse {
  const has = (name: string) => response.headers.some(([k]) => k.toLowerCase() === name);
  let headers = response.headers;
  if (!has('date')) {
    const own = new Map(response.headers.map(([k, v]) => [k.toLowerCase(), [k, v] as [string, string]]));
    const envelope = jsonResponse(response.status, null, wire).headers.map(([k, v]) => own.get(k.toLowerCase()) ?? ([k, v] as [string, string]));
    const inEnvelope = new Set(envelope.map(([k]) => k.toLowerCase()));
    headers = [...envelope, ...response.headers.filter(([k]) => !inEnvelope.has(k.toLowerCase()))];
  }
  return { status: response.status, headers: [...headers, ...extra], body: response.body };
}
