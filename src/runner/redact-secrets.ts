/**
 * The secrets a run knows (each consumer secret of the world a mock serves, the consumer secret and
 * key passphrase of a real org's config) never reach a result: a client that sends one where it does
 * not belong (the consumer secret as `iss`) could otherwise see it come back, in a trace of a mock
 * that does not redact it (an older image, another build) or in a real org's answer, and from there
 * in run.json, run.html, run.md, junit.xml and `--json`. One redactor, made from the targets'
 * secrets, copies a result and replaces every occurrence of a secret (in any string or key, as sent,
 * JSON-escaped or URL-encoded) with a marker that says whose secret stood there, in the words the
 * mock uses (`[redacted: the consumer secret of app Acme]`), so the diagnosis still reads. The runner
 * applies it once to each result, before anything sees it.
 */

/** A value that must never appear in what a run returns, and whose it is. */
export interface KnownSecret {
  value: string;
  /** For the marker: `the consumer secret of app Acme Integration`. */
  kind: string;
}

/**
 * A shorter secret is replaced only where a whole string is the secret or a text quotes it as JSON
 * (`"abc"`, as checks show values): replacing every "api" inside other words would make the report
 * unreadable. The mock's own redactor draws the line at the same length.
 */
export const MIN_SUBSTRING_LENGTH = 8;

/** Deeper than any trace the mock keeps (its JSON depth limit is 1,000): past it, nothing is kept. */
const MAX_DEPTH = 2_000;

export const redactionMarker = (kind: string): string => `[redacted: ${kind}]`;

/** The spellings of a secret that a result can hold: as sent, inside a JSON string, URL- or form-encoded. */
function spellings(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  return [...new Set([value, json, encodeURIComponent(value), form])];
}

interface Needle {
  text: string;
  replacement: string;
}

/** Every occurrence of every needle in `s`, overlapping ones merged into one span (no part of either is left). */
function replaceAll(s: string, needles: readonly Needle[]): string {
  const hits: { start: number; end: number; replacement: string }[] = [];
  for (const n of needles) for (let i = s.indexOf(n.text); i !== -1; i = s.indexOf(n.text, i + 1)) hits.push({ start: i, end: i + n.text.length, replacement: n.replacement });
  if (hits.length === 0) return s;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let last: (typeof hits)[number] | undefined;
  for (const hit of hits) {
    if (last !== undefined && hit.start < last.end) {
      // Overlapping secrets: the span of both goes, and the marker names both.
      if (hit.end > last.end) {
        last.end = hit.end;
        if (!last.replacement.includes(hit.replacement)) last.replacement += hit.replacement;
      }
      continue;
    }
    if (last !== undefined) out += s.slice(at, last.start) + last.replacement;
    at = last === undefined ? 0 : last.end;
    last = { ...hit };
  }
  if (last !== undefined) out += s.slice(at, last.start) + last.replacement;
  return out + s.slice(last?.end ?? 0);
}

/** A function that returns a redacted copy of any JSON-like value; the value itself is never changed. */
export function secretRedactor(secrets: readonly KnownSecret[]): <T>(value: T) => T {
  const exact = new Map<string, string>();
  const needles: Needle[] = [];
  for (const { value, kind } of secrets) {
    if (value === '' || exact.has(value)) continue;
    const forms = spellings(value);
    let marker = redactionMarker(kind);
    // A name that holds the secret would bring it back.
    if (forms.some((f) => marker.includes(f))) marker = redactionMarker('a secret');
    for (const form of forms) {
      if (!exact.has(form)) exact.set(form, marker);
      if (form.length >= MIN_SUBSTRING_LENGTH) needles.push({ text: form, replacement: marker });
    }
    if (value.length < MIN_SUBSTRING_LENGTH) needles.push({ text: JSON.stringify(value), replacement: JSON.stringify(marker) });
  }
  if (exact.size === 0) return (value) => value;
  const text = (s: string): string => exact.get(s) ?? replaceAll(s, needles);
  const copy = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (typeof value !== 'object' || value === null) return value;
    if (depth > MAX_DEPTH) return redactionMarker('nested too deep to check');
    if (Array.isArray(value)) return value.map((v) => copy(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty: a key such as "__proto__" (a claim can be named so) stays a plain key.
      Object.defineProperty(out, text(k), { value: copy(v, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return <T>(value: T): T => copy(value, 0) as T;
}
