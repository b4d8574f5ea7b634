/**
 * SOQL over the mock's objects: a query parsed by @jetstreamapp/soql-parser-js, checked against the
 * object's fields (names case-insensitive, records in the API's own spelling), filtered (AND, OR,
 * NOT, =, !=, <, <=, >, >=, LIKE, IN, NOT IN, null, date literals), sorted (ASC/DESC, NULLS
 * FIRST/LAST, several fields), cut (OFFSET up to 2,000, LIMIT) and shaped as the REST API writes
 * records: `attributes` first, then the selected fields in the order selected, parent relationships
 * as nested records. COUNT() gives only the count. A query the mock cannot answer gets Salesforce's
 * error (MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD, NUMBER_OUTSIDE_VALID_RANGE).
 */
import { createRequire } from 'node:module';
import type { Condition, FieldType as ParsedFieldType, Query, WhereClause } from '@jetstreamapp/soql-parser-js';

/**
 * The parser, loaded on the first query rather than with the mock: it takes about a quarter of a
 * second to load (its grammar is built at import), which every start of the mock and every test
 * that never queries would otherwise pay. Its CommonJS build, so the load can stay synchronous.
 */
let parser: typeof import('@jetstreamapp/soql-parser-js') | undefined;
function parseQuery(soql: string): Query {
  parser ??= createRequire(import.meta.url)('@jetstreamapp/soql-parser-js') as typeof import('@jetstreamapp/soql-parser-js');
  return parser.parseQuery(soql);
}

import type { WireResponse } from '../responses.ts';
import { invalidField, invalidType, malformedQuery, restError } from '../rest-errors.ts';
import { type FieldDef, findObject, type ObjectDef, type Row, rowsOf, type SourceState, type Value } from './objects.ts';

/** Salesforce's maximum OFFSET (SOQL and SOSL Reference, OFFSET). */
export const MAX_OFFSET = 2_000;

export interface QueryAnswer {
  totalSize: number;
  /** Records as the REST API writes them; empty for COUNT(). */
  records: Record<string, unknown>[];
}

/** A field path resolved against the object: the reference fields walked, then the field. */
interface Path {
  /** Relationship steps: the reference field and the object it leads to. */
  steps: { ref: FieldDef; target: ObjectDef }[];
  field: FieldDef;
}

type Lookup = (object: ObjectDef, id: string) => Row | undefined;

/** 1-based column of `text` in the query (case-insensitive, a whole word), or 1. */
function columnOf(query: string, text: string, after = 0): number {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, 'ig');
  re.lastIndex = after;
  const m = re.exec(query);
  return m === null ? 1 : m.index + 1;
}

class QueryFailure {
  constructor(readonly response: WireResponse) {}
}

function fail(response: WireResponse): never {
  throw new QueryFailure(response);
}

function resolvePath(query: string, root: ObjectDef, rawPath: string, state: SourceState): Path {
  const parts = rawPath.split('.');
  let object = root;
  const steps: Path['steps'] = [];
  for (const rel of parts.slice(0, -1)) {
    const ref = object.byRelationship.get(rel.toLowerCase());
    const target = ref?.referenceTo === undefined ? undefined : findObject(state.world, ref.referenceTo);
    if (ref === undefined || target === undefined) {
      fail(
        restError(
          400,
          'INVALID_FIELD',
          `\n${query}\n${' '.repeat(columnOf(query, rawPath) - 1)}^\nERROR at Row:1:Column:${columnOf(query, rawPath)}\nDidn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    steps.push({ ref, target });
    object = target;
  }
  const name = parts[parts.length - 1] ?? '';
  const field = object.byName.get(name.toLowerCase());
  if (field === undefined) fail(invalidField(query, columnOf(query, rawPath), name, object.name));
  return { steps, field };
}

function valueAt(row: Row, path: Path, lookup: Lookup): Value {
  let current: Row | undefined = row;
  for (const step of path.steps) {
    const id: Value = current[step.ref.name] ?? null;
    current = typeof id === 'string' ? lookup(step.target, id) : undefined;
    if (current === undefined) return null;
  }
  return current[path.field.name] ?? null;
}

// ---- literals and comparison

const DAY = 86_400_000;

/** A literal as a comparable: a number (numbers, booleans as 0/1, dates/datetimes as ms), a lower-case string, null, or a date range. */
type Literal = { kind: 'null' } | { kind: 'value'; v: number | string } | { kind: 'range'; start: number; end: number };

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function dateLiteral(text: string, n: number | undefined, now: number, query: string): Literal {
  const today = startOfDay(now);
  const upper = text.toUpperCase();
  const days = n ?? 0;
  if (upper === 'TODAY') return { kind: 'range', start: today, end: today + DAY };
  if (upper === 'YESTERDAY') return { kind: 'range', start: today - DAY, end: today };
  if (upper === 'TOMORROW') return { kind: 'range', start: today + DAY, end: today + 2 * DAY };
  if (upper.startsWith('LAST_N_DAYS:')) return { kind: 'range', start: today - days * DAY, end: today + DAY };
  if (upper.startsWith('NEXT_N_DAYS:')) return { kind: 'range', start: today + DAY, end: today + (days + 1) * DAY };
  return fail(malformedQuery(query, columnOf(query, text.split(':')[0] ?? text), text.split(':')[0] ?? text));
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
}

function literal(raw: string, type: string, field: FieldDef, now: number, n: number | undefined, query: string): Literal {
  switch (type) {
    case 'NULL':
      return { kind: 'null' };
    case 'STRING':
      // Ids match case-sensitively on their first 15 characters (an 18-character Id's suffix only repeats the case).
      return { kind: 'value', v: isId(field) ? unquote(raw).slice(0, 15) : unquote(raw).toLowerCase() };
    case 'BOOLEAN':
      return { kind: 'value', v: raw.toUpperCase() === 'TRUE' ? 1 : 0 };
    case 'DATE':
      return { kind: 'value', v: Date.parse(`${raw}T00:00:00Z`) };
    case 'DATETIME':
      return { kind: 'value', v: Date.parse(raw) };
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      return dateLiteral(raw, n, now, query);
    default:
      return { kind: 'value', v: Number(raw) };
  }
}

function isId(field: FieldDef): boolean {
  return field.type === 'id' || field.type === 'reference';
}

/** A field's value as a comparable, by the field's type: text without regard to case, Ids with it. */
function comparable(value: Value, field: FieldDef): number | string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (field.type === 'date') return Date.parse(`${value}T00:00:00Z`);
  if (field.type === 'datetime') return Date.parse(value.replace(/\+0000$/, 'Z'));
  return isId(field) ? value.slice(0, 15) : value.toLowerCase();
}

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      source += pattern.charAt(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Predicate = (row: Row) => boolean;

function leafPredicate(query: string, root: ObjectDef, cond: Condition, state: SourceState, now: number, lookup: Lookup): Predicate {
  if (!('field' in cond) || typeof cond.field !== 'string' || !('operator' in cond)) return fail(malformedQuery(query, 1, 'WHERE'));
  const path = resolvePath(query, root, cond.field, state);
  const op = String(cond.operator).toUpperCase();
  const type = String(cond.literalType ?? 'STRING');
  const n = 'dateLiteralVariable' in cond ? (cond.dateLiteralVariable as number | undefined) : undefined;
  const get = (row: Row) => comparable(valueAt(row, path, lookup), path.field);
  if (op === 'IN' || op === 'NOT IN') {
    const raws = Array.isArray(cond.value) ? cond.value : [String(cond.value)];
    const types = Array.isArray(cond.literalType) ? cond.literalType : raws.map(() => type);
    const set = new Set(raws.map((raw, i) => literal(raw, String(types[i] ?? type), path.field, now, n, query)).map((l) => (l.kind === 'value' ? l.v : null)));
    return op === 'IN' ? (row) => set.has(get(row)) : (row) => !set.has(get(row));
  }
  const raw = String(cond.value ?? '');
  if (op === 'LIKE') {
    const re = likeRegex(unquote(raw));
    return (row) => {
      const v = valueAt(row, path, lookup);
      return typeof v === 'string' && re.test(v);
    };
  }
  const lit = literal(raw, type, path.field, now, n, query);
  if (lit.kind === 'null') {
    if (op === '=') return (row) => get(row) === null;
    if (op === '!=' || op === '<>') return (row) => get(row) !== null;
    return () => false;
  }
  if (lit.kind === 'range') {
    const { start, end } = lit;
    const inRange: Record<string, (v: number) => boolean> = {
      '=': (v) => v >= start && v < end,
      '!=': (v) => v < start || v >= end,
      '<>': (v) => v < start || v >= end,
      '<': (v) => v < start,
      '<=': (v) => v < end,
      '>': (v) => v >= end,
      '>=': (v) => v >= start,
    };
    const test = inRange[op] ?? fail(malformedQuery(query, 1, op));
    return (row) => {
      const v = get(row);
      return typeof v === 'number' && test(v);
    };
  }
  const want = lit.v;
  const tests: Record<string, (c: number) => boolean> = { '=': (c) => c === 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0 };
  if (op === '!=' || op === '<>') return (row) => get(row) !== want;
  const test = tests[op] ?? fail(malformedQuery(query, 1, op));
  return (row) => {
    const v = get(row);
    return v !== null && typeof v === typeof want && test(compare(v, want));
  };
}

type Token = { t: '(' | ')' | 'AND' | 'OR' | 'NOT' } | { t: 'leaf'; cond: Condition };

/** The parser's right-leaning chain (parentheses as counts on the conditions) as a token list. */
function flatten(clause: WhereClause | undefined, out: Token[]): Token[] {
  if (clause === undefined) return out;
  const where = clause as { left: Condition | null; operator?: string; right?: WhereClause };
  const left = where.left as (Condition & { openParen?: number; closeParen?: number }) | null;
  if (left === null) {
    if (where.operator === 'NOT') out.push({ t: 'NOT' });
  } else {
    for (let i = 0; i < (left.openParen ?? 0); i += 1) out.push({ t: '(' });
    out.push({ t: 'leaf', cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i += 1) out.push({ t: ')' });
    if (where.operator === 'AND' || where.operator === 'OR') out.push({ t: where.operator });
    else if (where.operator === 'NOT') out.push({ t: 'AND' }, { t: 'NOT' });
  }
  return flatten(where.right, out);
}

/** NOT binds tighter than AND, AND tighter than OR. */
function buildPredicate(tokens: Token[], leaf: (c: Condition) => Predicate, query: string): Predicate {
  let i = 0;
  const peek = () => tokens[i]?.t;
  const primary = (): Predicate => {
    const token = tokens[i];
    i += 1;
    if (token?.t === 'NOT') {
      const inner = primary();
      return (row) => !inner(row);
    }
    if (token?.t === '(') {
      const inner = or();
      i += 1; // ')'
      return inner;
    }
    if (token?.t === 'leaf') return leaf(token.cond);
    return fail(malformedQuery(query, query.length + 1, '<EOF>'));
  };
  const and = (): Predicate => {
    const parts = [primary()];
    while (peek() === 'AND') {
      i += 1;
      parts.push(primary());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.every((p) => p(row));
  };
  const or = (): Predicate => {
    const parts = [and()];
    while (peek() === 'OR') {
      i += 1;
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.some((p) => p(row));
  };
  return or();
}

// ---- shaping

interface Selected {
  path: Path;
}

function shapeRecord(row: Row, object: ObjectDef, selected: readonly Selected[], depth: number, version: string, lookup: Lookup): Record<string, unknown> {
  const record: Record<string, unknown> = { attributes: { type: object.name, url: `/services/data/${version}/sobjects/${object.name}/${String(row.Id)}` } };
  const nested = new Map<string, Selected[]>();
  for (const s of selected) {
    const step = s.path.steps[depth];
    if (step === undefined) {
      record[s.path.field.name] = row[s.path.field.name] ?? null;
      continue;
    }
    const key = step.ref.relationshipName as string;
    let list = nested.get(key);
    if (list === undefined) {
      list = [];
      nested.set(key, list);
      record[key] = null; // keeps the relationship at the place of its first field
    }
    list.push(s);
  }
  for (const [key, list] of nested) {
    const step = list[0]?.path.steps[depth];
    if (step === undefined) continue;
    const id = row[step.ref.name];
    const parent = typeof id === 'string' ? lookup(step.target, id) : undefined;
    record[key] = parent === undefined ? null : shapeRecord(parent, step.target, list, depth + 1, version, lookup);
  }
  return record;
}

function unsupported(query: string, word: string): never {
  return fail(malformedQuery(query, columnOf(query, word), word));
}

function parseError(query: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const found = /but found --> '([^']*)' <--/.exec(message)?.[1];
  if (found === undefined || found === '') return fail(malformedQuery(query, query.length + 1, '<EOF>'));
  return fail(malformedQuery(query, columnOf(query, found), found));
}

/** The answer to `soql` over the session's org, or Salesforce's error answer. */
export function runQuery(soql: string, state: SourceState, now: number, version: string): QueryAnswer | WireResponse {
  try {
    return execute(soql, state, now, version);
  } catch (error) {
    if (error instanceof QueryFailure) return error.response;
    throw error;
  }
}

function execute(soql: string, state: SourceState, now: number, version: string): QueryAnswer {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    return parseError(soql, error);
  }
  const objectName = parsed.sObject ?? '';
  const object = findObject(state.world, objectName);
  if (object === undefined) fail(invalidType(soql, columnOf(soql, objectName), objectName));
  if (parsed.groupBy !== undefined) unsupported(soql, 'GROUP');
  if (parsed.having !== undefined) unsupported(soql, 'HAVING');

  const byObject = new Map<string, Map<string, Row>>();
  const lookup: Lookup = (target, id) => {
    let rows = byObject.get(target.name);
    if (rows === undefined) {
      rows = new Map(rowsOf(target, state).map((r) => [String(r.Id).slice(0, 15), r]));
      byObject.set(target.name, rows);
    }
    return rows.get(id.slice(0, 15));
  };

  let countOnly = false;
  const selected: Selected[] = [];
  for (const f of parsed.fields ?? ([] as ParsedFieldType[])) {
    if (f.type === 'Field') selected.push({ path: resolvePath(soql, object, f.field, state) });
    else if (f.type === 'FieldRelationship') selected.push({ path: resolvePath(soql, object, [...f.relationships, f.field].join('.'), state) });
    else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && (f.parameters ?? []).length === 0 && (parsed.fields ?? []).length === 1) countOnly = true;
    else if (f.type === 'FieldSubquery') unsupported(soql, 'SELECT');
    else unsupported(soql, f.type === 'FieldFunctionExpression' ? f.functionName : 'TYPEOF');
  }

  let rows = rowsOf(object, state);
  if (parsed.where !== undefined) {
    const predicate = buildPredicate(flatten(parsed.where, []), (c) => leafPredicate(soql, object, c, state, now, lookup), soql);
    rows = rows.filter(predicate);
  }
  if (parsed.offset !== undefined && parsed.offset > MAX_OFFSET) {
    fail(restError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`));
  }
  if (countOnly) {
    const total = Math.min(rows.length, parsed.limit ?? Number.POSITIVE_INFINITY);
    return { totalSize: total, records: [] };
  }
  const orderBy = Array.isArray(parsed.orderBy) ? parsed.orderBy : parsed.orderBy === undefined ? [] : [parsed.orderBy];
  if (orderBy.length > 0) {
    const keys = orderBy.map((o) => {
      if (!('field' in o) || o.field === undefined) return unsupported(soql, 'ORDER');
      const path = resolvePath(soql, object, o.field, state);
      const desc = o.order === 'DESC';
      // NULLS FIRST is the default for ASC, NULLS LAST for DESC.
      const nullsFirst = o.nulls === undefined ? !desc : o.nulls === 'FIRST';
      return { path, desc, nullsFirst };
    });
    const decorated = rows.map((row, i) => ({ row, i, k: keys.map((k) => comparable(valueAt(row, k.path, lookup), k.path.field)) }));
    decorated.sort((a, b) => {
      for (let j = 0; j < keys.length; j += 1) {
        const key = keys[j] as (typeof keys)[number];
        const x = a.k[j] ?? null;
        const y = b.k[j] ?? null;
        if (x === null && y === null) continue;
        if (x === null) return key.nullsFirst ? -1 : 1;
        if (y === null) return key.nullsFirst ? 1 : -1;
        const c = compare(x, y);
        if (c !== 0) return key.desc ? -c : c;
      }
      return a.i - b.i;
    });
    rows = decorated.map((d) => d.row);
  }
  const offset = parsed.offset ?? 0;
  rows = rows.slice(offset, parsed.limit === undefined ? undefined : offset + parsed.limit);
  return { totalSize: rows.length, records: rows.map((row) => shapeRecord(row, object, selected, 0, version, lookup)) };
}
