/**
 * Keeps the world's secrets out of what the mock stores and shows. A client that sends an app's
 * consumer secret (as `iss`, `sub`, a header value, anywhere) must not find it again in the journal,
 * a trace or an admin answer: each occurrence is replaced by a text that says whose secret it was
 * (`[redacted: the consumer secret of app Acme]`), so an admin still learns what went wrong. A secret
 * of 8 characters or more is replaced wherever it occurs, and so is its start where a text shows it
 * cut short (`"1234567890123…"`, as checks shorten long values). A shorter secret (the schema takes
 * any non-empty one) is replaced only where a whole value is the secret or a text quotes it as JSON
 * (`"abc"`, as checks show values), so that a secret such as `api` does not eat every word that
 * holds it. `RedactorCache` hands out the redactor of the current apps and builds a new one only when
 * a secret changed (a reset, a Setup change, another world), so a request pays a loop over the apps.
 */
import type { App, User } from '../world/schema.ts';

/** Below this length a secret is replaced only as a whole value or as a quoted JSON string; from it, its first this-many characters are what is searched for. */
const SUBSTRING_MIN = 8;
/** `…`, with which checks mark a value they cut short. */
const ELLIPSIS = 0x2026;

interface Pattern {
  /** The secret as it is searched for: itself, or quoted as JSON when it is short. */
  readonly text: string;
  /** What the search starts from: the first SUBSTRING_MIN characters of a long secret, or the whole quoted short one. */
  readonly probe: string;
  readonly replacement: string;
  /** For a long secret: what its start becomes where a text shows it cut short. */
  readonly start?: string;
}

/** An occurrence of a pattern: [start, end) in the text searched. */
interface Hit {
  start: number;
  end: number;
  replacement: string;
}

export class Redactor {
  /** Whole values that are a secret, and what they become. */
  private readonly exact = new Map<string, string>();
  private readonly patterns: readonly Pattern[];
  /** The patterns of long secrets, and of short ones (quoted). */
  private readonly longs: readonly Pattern[];
  private readonly shorts: readonly Pattern[];
  /** The shortest text that can hold a secret or a shown start of one. */
  private readonly shortest: number;
  /** The longest pattern: how far past a cut a secret that starts before it may reach. */
  private readonly longest: number;

  /** `secrets`: each consumer secret with the names of the apps that hold it; `passwords`: each user's password with the usernames that have it. */
  constructor(secrets: ReadonlyMap<string, readonly string[]>, passwords: ReadonlyMap<string, readonly string[]> = new Map()) {
    const patterns: Pattern[] = [];
    const all: [string, string, string][] = [
      ...[...secrets].map(([secret, apps]): [string, string, string] => [secret, `the consumer secret of app ${apps.join(', app ')}`, 'a consumer secret']),
      ...[...passwords].filter(([p]) => !secrets.has(p)).map(([password, users]): [string, string, string] => [password, `the password of user ${users.join(', user ')}`, 'a password']),
    ];
    for (const [secret, whose, what] of all) {
      // An app or user named after its own secret would bring the secret back.
      const named = !whose.includes(secret.slice(0, SUBSTRING_MIN));
      const replacement = named ? `[redacted: ${whose}]` : `[redacted: ${what}]`;
      this.exact.set(secret, replacement);
      if (secret.length >= SUBSTRING_MIN) {
        patterns.push({ text: secret, probe: secret.slice(0, SUBSTRING_MIN), replacement, start: named ? `[redacted: the start of ${whose}]` : `[redacted: the start of ${what}]` });
      } else {
        const quoted = JSON.stringify(secret);
        patterns.push({ text: quoted, probe: quoted, replacement: JSON.stringify(replacement) });
      }
    }
    this.patterns = patterns;
    this.longs = patterns.filter((p) => p.start !== undefined);
    this.shorts = patterns.filter((p) => p.start === undefined);
    this.shortest = all.map(([secret]) => secret).reduce((min, secret) => Math.min(min, secret.length, SUBSTRING_MIN), Number.POSITIVE_INFINITY);
    this.longest = patterns.reduce((max, p) => Math.max(max, p.text.length), 0);
  }

  /**
   * Whether `text` may hold a secret (`text(text)` may change it). Cheap for the usual string, which
   * holds none: a long secret is searched for only in a text as long as it, and its start only in a
   * text that shows something cut short (`…`).
   */
  holds(text: string): boolean {
    const n = text.length;
    if (n < this.shortest) return false;
    if (n < SUBSTRING_MIN && this.exact.has(text)) return true;
    for (const p of this.shorts) if (n >= p.text.length && text.includes(p.text)) return true;
    if (n < SUBSTRING_MIN || this.longs.length === 0) return false;
    for (const p of this.longs) if (n >= p.text.length && text.includes(p.text)) return true;
    if (!text.includes('…')) return false;
    for (const p of this.longs) if (text.includes(p.probe)) return true;
    return false;
  }

  /**
   * `text` with every secret replaced, kept to its first `max` characters: a secret that starts
   * before the cut is replaced whole (the answer may run a little past `max`), one that starts after
   * it is cut off with the rest. `cut` says whether anything was left off.
   */
  head(text: string, max = Number.POSITIVE_INFINITY): { text: string; cut: boolean } {
    const cut = text.length > max;
    if (!cut && text.length <= this.longest) {
      const whole = this.exact.get(text);
      if (whole !== undefined) return { text: whole, cut };
    }
    if (this.patterns.length === 0 || text.length < this.shortest) return { text: cut ? text.slice(0, max) : text, cut };
    // Only the window can hold a secret that starts before the cut: the search costs at most
    // (max + longest) characters per pattern, however long the text.
    const window = cut ? text.slice(0, max + this.longest) : text;
    const hits = this.hits(window);
    if (hits.length === 0) return { text: cut ? text.slice(0, max) : text, cut };
    const end = cut ? max : window.length;
    let out = '';
    let at = 0;
    for (const hit of hits) {
      if (hit.start >= end) break;
      out += window.slice(at, hit.start) + hit.replacement;
      at = hit.end;
    }
    if (at < end) out += window.slice(at, end);
    return { text: out, cut: cut && at < text.length };
  }

  /** `text` with every secret replaced; the same string when it holds none. */
  text(text: string): string {
    return this.holds(text) ? this.head(text).text : text;
  }

  /** Occurrences of every secret (and of every shown start of one), in order, overlapping ones merged. */
  private hits(window: string): Hit[] {
    const hits: Hit[] = [];
    for (const p of this.patterns) {
      for (let i = window.indexOf(p.probe); i !== -1; i = window.indexOf(p.probe, i + 1)) {
        if (p.start === undefined) {
          hits.push({ start: i, end: i + p.probe.length, replacement: p.replacement });
          continue;
        }
        let n = p.probe.length;
        while (n < p.text.length && window.charCodeAt(i + n) === p.text.charCodeAt(n)) n += 1;
        if (n === p.text.length) hits.push({ start: i, end: i + n, replacement: p.replacement });
        else if (window.charCodeAt(i + n) === ELLIPSIS) hits.push({ start: i, end: i + n, replacement: p.start });
      }
    }
    if (hits.length < 2) return hits;
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    const merged: Hit[] = [];
    for (const hit of hits) {
      const last = merged[merged.length - 1];
      if (last === undefined || hit.start >= last.end) merged.push({ ...hit });
      else if (hit.end > last.end) {
        // Two secrets overlap: the span of both goes, and the text names both.
        last.end = hit.end;
        if (!last.replacement.includes(hit.replacement)) last.replacement += hit.replacement;
      }
    }
    return merged;
  }
}

export const NO_SECRETS = new Redactor(new Map());

/** The redactor of the apps a world holds now, rebuilt only when one of their secrets changed. */
const NO_USERS: readonly User[] = [];

export class RedactorCache {
  private apps: readonly App[] | undefined;
  private users: readonly User[] | undefined;
  private secrets: (string | undefined)[] = [];
  private passwords: (string | undefined)[] = [];
  private redactor = NO_SECRETS;

  of(apps: readonly App[], users: readonly User[] = NO_USERS): Redactor {
    const same =
      apps === this.apps &&
      users === this.users &&
      apps.length === this.secrets.length &&
      apps.every((a, i) => a.consumerSecret === this.secrets[i]) &&
      users.length === this.passwords.length &&
      users.every((u, i) => u.password === this.passwords[i]);
    if (same) return this.redactor;
    const owners = (entries: readonly [string | undefined, string][]) => {
      const byValue = new Map<string, string[]>();
      for (const [value, owner] of entries) {
        if (value === undefined || value === '') continue;
        const names = byValue.get(value);
        if (names === undefined) byValue.set(value, [owner]);
        else names.push(owner);
      }
      return byValue;
    };
    const secrets = owners(apps.map((a) => [a.consumerSecret, a.name]));
    const passwords = owners(users.map((u) => [u.password, u.username]));
    this.apps = apps;
    this.users = users;
    this.secrets = apps.map((a) => a.consumerSecret);
    this.passwords = users.map((u) => u.password);
    this.redactor = secrets.size === 0 && passwords.size === 0 ? NO_SECRETS : new Redactor(secrets, passwords);
    return this.redactor;
  }
}
