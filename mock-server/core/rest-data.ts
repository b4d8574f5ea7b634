/**
 * The data resources of the REST API past the login: SOQL (`/query`, `/queryAll`, and queryMore via
 * `/query/<locator>-<offset>`) over objects derived from the world and the org's state, the sObject
 * list (`/sobjects/`), an object's basic information (`/sobjects/<Object>`), its describe
 * (`/sobjects/<Object>/describe`) and a record (`/sobjects/<Object>/<Id>`). The REST router hands
 * every path under `/services/data/vNN.0` here first; `undefined` means the path is not a data route.
 * Answers come without the envelope (Date, cookie, security headers), which the router adds.
 */
import type { Org, User } from '../world/schema.ts';
import type { IncomingRequest } from './incoming.ts';
import type { MockOrg } from './mock-org.ts';
import type { WireResponse } from './responses.ts';
import { INVALID_QUERY_LOCATOR_MESSAGE, notFound, restError, restJson } from './rest-errors.ts';
import type { Session } from './sessions.ts';
import { cursorsOf } from './soql/cursors.ts';
import { runQuery } from './soql/execute.ts';
import { findObject, type ObjectDef, objectDefs, rowsOf, type SourceState } from './soql/objects.ts';

export interface DataRouteContext {
  version: number;
  /** The path after /services/data/vNN.0, e.g. "/query". */
  path: string;
  url: URL;
  session: Session;
  user: User;
  org: Org;
  baseUrl: string;
}

/** Records per page (REST API Developer Guide, Query Options Header: default and maximum 2,000, minimum 200). */
export const DEFAULT_BATCH_SIZE = 2_000;
export const MIN_BATCH_SIZE = 200;

/** The batch size `Sforce-Query-Options: batchSize=N` asks for, within 200..2,000; 2,000 without one. */
export function batchSize(header: string | null): number {
  const m = header === null ? null : /(?:^|[,;\s])batchSize\s*=\s*(\d+)/i.exec(header);
  if (m === null) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(m[1])));
}

function state(mock: MockOrg, org: Org): SourceState {
  return { world: mock.index.world, org, loginHistory: mock.loginHistory };
}

function page(mock: MockOrg, ctx: DataRouteContext, locator: string, records: readonly Record<string, unknown>[], totalSize: number, from: number, size: number): WireResponse {
  const v = `v${ctx.version}.0`;
  const to = Math.min(records.length, from + size);
  const done = to >= records.length;
  if (done) cursorsOf(mock).close(locator);
  const body = done
    ? { totalSize, done: true, records: records.slice(from, to) }
    : { totalSize, done: false, nextRecordsUrl: `/services/data/${v}/query/${locator}-${to}`, records: records.slice(from, to) };
  return restJson(200, body);
}

function query(mock: MockOrg, request: IncomingRequest, ctx: DataRouteContext): WireResponse {
  const soql = ctx.url.searchParams.get('q');
  if (soql === null || soql.trim() === '') return restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const now = mock.now();
  const answer = runQuery(soql, state(mock, ctx.org), now, `v${ctx.version}.0`);
  if (!('totalSize' in answer)) return answer;
  const size = batchSize(request.header('sforce-query-options'));
  if (answer.records.length <= size) return restJson(200, { totalSize: answer.totalSize, done: true, records: answer.records });
  const idleMs = mock.knobs.queryLocatorIdleSeconds * 1000;
  const locator = cursorsOf(mock).open(ctx.org.id.slice(3, 5), { userId: ctx.user.id, totalSize: answer.totalSize, records: answer.records, lastUsed: now }, now, idleMs);
  return page(mock, ctx, locator, answer.records, answer.totalSize, 0, size);
}

function queryMore(mock: MockOrg, request: IncomingRequest, ctx: DataRouteContext, tail: string): WireResponse {
  const m = /^([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)-(\d+)$/.exec(tail);
  const now = mock.now();
  const cursor = m === null ? undefined : cursorsOf(mock).use(m[1] as string, ctx.user.id, now, mock.knobs.queryLocatorIdleSeconds * 1000);
  const from = Number(m?.[2] ?? 0);
  if (m === null || cursor === undefined || from >= cursor.records.length) return restError(400, 'INVALID_QUERY_LOCATOR', INVALID_QUERY_LOCATOR_MESSAGE);
  return page(mock, ctx, m[1] as string, cursor.records, cursor.totalSize, from, batchSize(request.header('sforce-query-options')));
}

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(object: ObjectDef, v: string) {
  const base = `/services/data/${v}/sobjects/${object.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** The keys of an entry of the sObject list (REST API Developer Guide, Describe Global). */
function globalEntry(object: ObjectDef, v: string) {
  return {
    activateable: false,
    createable: false,
    custom: object.custom,
    customSetting: false,
    deletable: false,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: false,
    mergeable: false,
    mruEnabled: false,
    name: object.name,
    queryable: true,
    replicateable: false,
    retrieveable: true,
    searchable: false,
    triggerable: false,
    undeletable: false,
    updateable: false,
    urls: urls(object, v),
  };
}

/** sObject Describe: the global entry's keys plus fields and child relationships (read-only objects). */
function describe(object: ObjectDef, v: string) {
  return {
    ...globalEntry(object, v),
    childRelationships: [],
    fields: object.fields.map((f) => ({
      aggregatable: f.type !== 'boolean',
      createable: false,
      custom: f.name.endsWith('__c'),
      filterable: true,
      groupable: f.type !== 'double',
      idLookup: f.type === 'id',
      label: f.label,
      length: f.type === 'string' || f.type === 'email' || f.type === 'picklist' ? 255 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
      name: f.name,
      nillable: f.type !== 'id' && f.type !== 'boolean',
      referenceTo: f.referenceTo === undefined ? [] : [f.referenceTo],
      relationshipName: f.relationshipName ?? null,
      soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
      sortable: true,
      type: f.type,
      unique: f.type === 'id',
      updateable: false,
    })),
  };
}

function sobjects(mock: MockOrg, ctx: DataRouteContext, tail: string): WireResponse {
  const v = `v${ctx.version}.0`;
  if (tail === '') return restJson(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: objectDefs(mock.index.world).map((o) => globalEntry(o, v)) });
  const [name = '', rest, extra] = tail.split('/');
  const object = findObject(mock.index.world, name);
  if (object === undefined || extra !== undefined) return notFound();
  if (rest === undefined) return restJson(200, { objectDescribe: globalEntry(object, v), recentItems: [] });
  if (rest === 'describe') return restJson(200, describe(object, v));
  const row = rowsOf(object, state(mock, ctx.org)).find((r) => String(r.Id).slice(0, 15) === rest.slice(0, 15) && (rest.length === 15 || rest.length === 18));
  if (row === undefined) return notFound();
  const record: Record<string, unknown> = { attributes: { type: object.name, url: `/services/data/${v}/sobjects/${object.name}/${String(row.Id)}` } };
  for (const f of object.fields) record[f.name] = row[f.name] ?? null;
  return restJson(200, record);
}

/** The answer of a data route, or undefined when `ctx.path` is not one. */
export function handleDataRoute(mock: MockOrg, request: IncomingRequest, ctx: DataRouteContext): WireResponse | undefined {
  const m = /^\/(query|queryAll|sobjects)(?:\/(.*?))?\/?$/.exec(ctx.path);
  if (m === null) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return restError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed. Allowed are GET,HEAD`);
  }
  const [, resource, tail = ''] = m;
  if (resource === 'sobjects') return sobjects(mock, ctx, tail);
  return tail === '' ? query(mock, request, ctx) : queryMore(mock, request, ctx, tail);
}
