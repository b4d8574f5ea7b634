/**
 * Finding what a user pasted into `explain`: an error code, an error_description (any case, curly or
 * missing apostrophes, quoted, cut short, or inside a log line), a whole response body (JSON,
 * urlencoded or XML), an HTTP status (302, 404, 413), or Salesforce's HTML page for one (its title,
 * its text, or the page). When nothing matches, close candidates by edit distance and by shared
 * words, so a typo gets a "did you mean".
 */
import { editDistance } from '../../lib/edit-distance.ts';
import type { WireAnswer } from './explain-answers.ts';

/** Lower case, straight apostrophes dropped, white space collapsed, wrapping quotes and end punctuation off. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019'`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["\s]+|["\s.,;:!]+$/g, '');
}

/** error and error_description from a pasted response body, if the text holds one. */
export function parseBody(text: string): { error: string; description?: string } | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const json = JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>;
      if (typeof json['error'] === 'string') return typeof json['error_description'] === 'string' ? { error: json['error'], description: json['error_description'] } : { error: json['error'] };
    } catch {
      // Not JSON after all (a log line with braces): the other readings below still apply.
    }
  }
  const xml = /<error>([^<]*)<\/error>/.exec(text);
  if (xml?.[1] !== undefined) {
    const d = /<error_description>([^<]*)<\/error_description>/.exec(text)?.[1];
    return d === undefined ? { error: xml[1] } : { error: xml[1], description: d };
  }
  if (/(^|&)error=/.test(text.trim())) {
    const form = new URLSearchParams(text.trim());
    const error = form.get('error');
    const d = form.get('error_description');
    if (error !== null) return d === null ? { error } : { error, description: d };
  }
  return undefined;
}

const longest = (answers: WireAnswer[], field: 'error' | 'description') => {
  const max = Math.max(...answers.map((a) => (a[field] ?? '').length));
  return answers.filter((a) => (a[field] ?? '').length === max);
};

/**
 * The words of Salesforce's HTML pages and the status they come with: the page of an unknown path
 * ("URL No Longer Exists", mock-server/core/responses.ts) and that of a body over the limit.
 */
const PAGES: readonly [words: string, status: number][] = [
  ['url no longer exists', 404],
  ['you have attempted to reach a url that no longer exists', 404],
  ['request entity too large', 413],
];

/** The answers a query names; empty when it names none. */
export function matchAnswers(query: string, answers: readonly WireAnswer[]): WireAnswer[] {
  const text = normalise(query);
  const page = PAGES.find(([words]) => text.includes(words));
  if (page !== undefined) return answers.filter((a) => a.error === null && a.status === page[1]);
  const body = parseBody(query);
  if (body !== undefined) {
    const byError = answers.filter((a) => a.error !== null && normalise(a.error) === normalise(body.error));
    if (body.description === undefined) return byError;
    const d = normalise(body.description);
    const both = byError.filter((a) => normalise(a.description ?? '') === d);
    return both.length > 0 ? both : matchAnswers(body.description, answers);
  }
  const q = normalise(query);
  if (q === '') return [];
  if (/^\d{3}$/.test(q)) return answers.filter((a) => a.error === null && String(a.status) === q);
  const exact = answers.filter((a) => (a.description !== null && normalise(a.description) === q) || (a.error !== null && normalise(a.error) === q));
  if (exact.length > 0) return exact;
  const contained = answers.filter((a) => a.description !== null && q.includes(normalise(a.description)));
  if (contained.length > 0) {
    const withError = contained.filter((a) => a.error !== null && q.includes(a.error));
    return longest(withError.length > 0 ? withError : contained, 'description');
  }
  const codes = answers.filter((a) => a.error !== null && new RegExp(`(^|[^a-z_])${a.error}($|[^a-z_])`).test(q));
  if (codes.length > 0) return longest(codes, 'error');
  if (q.length < 4) return [];
  return answers.filter((a) => normalise(a.description ?? '').includes(q) || (a.error ?? '').includes(q));
}

/** Up to `max` candidates close to the query: a small edit distance (to the whole or to the part after a "."), else a shared word. */
export function suggest(query: string, candidates: readonly string[], max = 6): string[] {
  const q = normalise(query).slice(0, 200);
  if (q === '') return [];
  const words = q.split(/[^a-z0-9]+/).filter((w) => w.length >= 4);
  const scored: [number, string][] = [];
  for (const c of new Set(candidates)) {
    const n = normalise(c);
    const tail = n.slice(n.indexOf('.') + 1);
    const distance = Math.min(editDistance(q, n), editDistance(q, tail));
    if (distance <= Math.max(2, Math.floor(q.length / 4))) scored.push([distance, c]);
    else if (n.includes(q) || words.some((w) => n.includes(w))) scored.push([100, c]);
  }
  // Close spellings first and alone; shared words only when nothing is spelled close.
  const close = scored.some(([d]) => d < 100) ? scored.filter(([d]) => d < 100) : scored;
  return close
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, max)
    .map(([, c]) => c);
}
