/**
 * What a trace may keep of a request, so the journal is bounded in bytes and not only in entries: a
 * client decides what a trace holds (a claim of a megabyte, a hundred thousand claims, a claim nested
 * a thousand levels deep, a form whose parameter list a check prints), and a journal of such traces
 * once took a gigabyte and could not be printed. `boundTrace` walks a trace once, as the journal
 * stores it: every string passes the world's redactor and is kept to `TRACE_LIMITS.string`
 * characters, the decoded assertion to `entries` per object or array, `depth` levels and
 * `assertionChars` JSON characters in all, the rest of the trace to `otherChars`. Nothing is cut
 * silently: a shortened value ends in `… [truncated: N characters]`, dropped entries leave a
 * `[truncated: N more …]` entry, and the trace's `truncated` counts the places. A trace within the
 * limits comes back as the same object, so a usual request's trace is stored exactly as it was made.
 */
import type { Redactor } from './redactor.ts';
import type { Trace } from './trace.ts';

export const TRACE_LIMITS = {
  /**
   * A trace whose strings and keys take at most this many characters (its JSON, about: more only
   * where JSON escapes control characters), none longer than `string`, nested at most `depth` levels
   * and holding no secret, is kept whole, as it is.
   */
  wholeChars: 8_192,
  /** Characters kept of any one string: a claim, header or key, a check's expected, actual or fix. */
  string: 1_024,
  /** A string of at most this many characters is kept even past a budget (names, ids, titles). */
  short: 100,
  /** Entries kept of any one object or array of the decoded assertion. */
  entries: 100,
  /** Levels of objects and arrays kept below the assertion's header and payload. */
  depth: 8,
  /** JSON characters the decoded assertion (header, payload, signature) may take. */
  assertionChars: 8_192,
  /** JSON characters the rest of the trace may take (what a usual request's trace takes: ~3,500). */
  otherChars: 16_384,
} as const;

/** The length of `JSON.stringify(text)`: its length plus quotes, unless it holds a character JSON escapes. */
function jsonLength(text: string): number {
  // A loop over char codes: on the short strings of a usual trace it costs less than a RegExp test.
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text).length;
  }
  return text.length + 2;
}

/**
 * A copy that holds no reference to the string it was cut from: V8 keeps a slice as a view of its
 * parent, so a kilobyte kept of a megabyte claim would keep the megabyte.
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const marker = (what: string) => `[truncated: ${what}]`;

/**
 * The quick look every trace gets: its characters counted (a string's length, not its JSON's, which
 * would cost five times as much to find) and each asked of the redactor, stopping at the first sign
 * that it must be walked. A usual trace costs a few microseconds here; printing it as
 * JSON would cost several times that.
 */
class Quick {
  chars = 0;

  constructor(private readonly redactor: Redactor) {}

  fits(value: unknown, depth: number): boolean {
    if (typeof value === 'string') {
      this.chars += value.length + 2;
      return value.length <= TRACE_LIMITS.string && this.chars <= TRACE_LIMITS.wholeChars && !this.redactor.holds(value);
    }
    if (value === null || typeof value !== 'object') {
      // The longest number JSON prints takes 24 characters.
      this.chars += typeof value === 'number' ? 24 : 5;
      return true;
    }
    if (depth > TRACE_LIMITS.depth) return false;
    this.chars += 2;
    if (Array.isArray(value)) {
      for (const item of value) {
        this.chars += 1;
        if (!this.fits(item, depth + 1)) return false;
      }
      return true;
    }
    // Traces are plain data: own keys only, as JSON.stringify writes them.
    for (const key in value) {
      this.chars += key.length + 4;
      if (key.length > TRACE_LIMITS.string || this.redactor.holds(key) || !this.fits((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return this.chars <= TRACE_LIMITS.wholeChars;
  }
}

/** One budget of JSON characters, and what was cut to keep within it. */
class Walk {
  chars = 0;
  shortened = 0;

  constructor(
    private readonly redactor: Redactor,
    private readonly budget: number,
    private readonly entries: number,
    private readonly depth: number,
    /** Whether a spent budget also drops entries (the assertion's), or only shortens strings (the trace's own fields). */
    private readonly dropEntries: boolean,
    /** An object walked by another budget, and what it became there. */
    private readonly swap?: { from: object; to: unknown },
  ) {}

  private mark(what: string): string {
    const text = marker(what);
    this.shortened += 1;
    this.chars += text.length + 2;
    return text;
  }

  string(value: string): string {
    // A short string (a check id, a verdict, a title) is kept even past the budget, so a trace always
    // says which check decided and how; there are only so many of them in the fields of a trace.
    if (this.chars >= this.budget && value.length > TRACE_LIMITS.short) return this.mark(`${value.length} characters past the trace's size limit`);
    let kept: string;
    if (value.length <= TRACE_LIMITS.string) kept = this.redactor.text(value);
    else {
      const { text, cut } = this.redactor.head(value, TRACE_LIMITS.string);
      kept = cut ? `${detached(text)}… ${marker(`${value.length} characters`)}` : text;
      if (cut) this.shortened += 1;
    }
    this.chars += jsonLength(kept);
    return kept;
  }

  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.string(value);
    if (value === null || typeof value !== 'object') {
      this.chars += typeof value === 'number' && Number.isFinite(value) ? String(value).length : 5;
      return value;
    }
    if (this.swap !== undefined && value === this.swap.from) return this.swap.to;
    if (depth >= this.depth) return this.mark(`${Array.isArray(value) ? 'an array' : 'an object'} nested deeper than ${this.depth} levels`);
    return Array.isArray(value) ? this.array(value, depth) : this.object(value as Record<string, unknown>, depth);
  }

  private array(items: readonly unknown[], depth: number): unknown[] {
    let out: unknown[] | undefined;
    this.chars += 2;
    for (let i = 0; i < items.length; i += 1) {
      if (i >= this.entries || (this.dropEntries && this.chars >= this.budget)) {
        out ??= items.slice(0, i);
        out.push(this.mark(`${items.length - i} more items`));
        break;
      }
      const item = items[i];
      const kept = this.value(item, depth + 1);
      this.chars += 1;
      if (kept !== item) out ??= items.slice(0, i);
      out?.push(kept);
    }
    return out ?? (items as unknown[]);
  }

  private object(object: Record<string, unknown>, depth: number): Record<string, unknown> {
    const keys = Object.keys(object);
    let out: [string, unknown][] | undefined;
    this.chars += 2;
    for (let i = 0; i < keys.length; i += 1) {
      if (i >= this.entries || (this.dropEntries && this.chars >= this.budget)) {
        out ??= entriesBefore(object, keys, i);
        out.push(['…', this.mark(`${keys.length - i} more entries`)]);
        break;
      }
      const key = keys[i] as string;
      const item = object[key];
      const k = this.string(key);
      const kept = this.value(item, depth + 1);
      this.chars += 2;
      if (out === undefined && (k !== key || kept !== item)) out = entriesBefore(object, keys, i);
      out?.push([k, kept]);
    }
    return out === undefined ? object : unique(out);
  }
}

/** The first `n` entries of an object, as they were: a copy starts only at the first entry that changed. */
function entriesBefore(object: Record<string, unknown>, keys: readonly string[], n: number): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i < n; i += 1) {
    const key = keys[i] as string;
    out.push([key, object[key]]);
  }
  return out;
}

/** Entries as an object, a key that a cut or a redaction made twice numbered rather than lost; `__proto__` stays a key. */
function unique(entries: readonly [string, unknown][]): Record<string, unknown> {
  const seen = new Set<string>();
  const out: [string, unknown][] = [];
  for (const [key, value] of entries) {
    let k = key;
    for (let n = 2; seen.has(k); n += 1) k = `${key} (${n})`;
    seen.add(k);
    out.push([k, value]);
  }
  return Object.fromEntries(out);
}

/** The trace as the journal keeps it, and about how many JSON characters it takes. */
export function boundTrace(trace: Trace, redactor: Redactor): { trace: Trace; chars: number } {
  // The usual trace (~3,500 characters) passes the quick look and is stored as it is; only a large
  // one, a deep one or one that holds a secret is walked and cut.
  const quick = new Quick(redactor);
  if (quick.fits(trace, 0)) return { trace, chars: quick.chars };
  // A trace made in code may lack a request (the journal's own tests store bare ids).
  const assertion = (trace.request as Trace['request'] | undefined)?.assertion;
  let swap: { from: object; to: unknown } | undefined;
  let claims: Walk | undefined;
  if (assertion !== undefined) {
    claims = new Walk(redactor, TRACE_LIMITS.assertionChars, TRACE_LIMITS.entries, TRACE_LIMITS.depth, true);
    // The signature's few characters first ("[redacted 256 bytes]"), so a spent budget never takes them.
    const signature = claims.string(assertion.signature);
    const header = claims.value(assertion.header, 0);
    const payload = claims.value(assertion.payload, 0);
    const same = header === assertion.header && payload === assertion.payload && signature === assertion.signature;
    swap = { from: assertion, to: same ? assertion : { header, payload, signature } };
  }
  // The trace's own fields are few and fixed (one step per check): they are all kept, their strings shortened.
  const rest = new Walk(redactor, TRACE_LIMITS.otherChars, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, false, swap);
  const kept = rest.value(trace, 0) as Trace;
  const shortened = rest.shortened + (claims?.shortened ?? 0);
  if (shortened > 0) kept.truncated = (kept.truncated ?? 0) + shortened;
  return { trace: kept, chars: rest.chars + (claims?.chars ?? 0) };
}
