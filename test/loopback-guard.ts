/**
 * Keeps a test process on loopback: once installed, every DNS look-up of a name other than
 * `localhost` fails at once (so a client that falls back to the real login.salesforce.com or
 * test.salesforce.com never resolves it), and every TCP or TLS connection to an address that is not
 * 127.0.0.0/8 or ::1 is refused before a packet leaves (the socket errors with ECONNREFUSED on the
 * next tick, as a closed port would). Each refusal is recorded, so a test can assert that no client
 * tried to leave, and fail naming where it tried to go. Unix socket paths are local and pass.
 */
import dns from 'node:dns';
import net, { isIP } from 'node:net';
import { promisify } from 'node:util';

/** One refused attempt: a look-up of `host`, or a connection to `host:port`. */
export interface Refusal {
  kind: 'lookup' | 'connect';
  host: string;
  port?: number;
}

const refusals: Refusal[] = [];
let installed = false;

/** Whether `host` (a name or an address, brackets allowed) is loopback. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

function refused(kind: Refusal['kind'], host: string, port?: number): NodeJS.ErrnoException {
  refusals.push(port === undefined ? { kind, host } : { kind, host, port });
  const error: NodeJS.ErrnoException = new Error(`loopback guard: ${kind} ${host}${port === undefined ? '' : `:${port}`} refused (nothing may leave 127.0.0.1)`);
  error.code = kind === 'lookup' ? 'ENOTFOUND' : 'ECONNREFUSED';
  return error;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/** What a look-up of a loopback name answers: 127.0.0.1 (or ::1 when only IPv6 is asked for). */
function loopbackAnswer(host: string, options: dns.LookupOptions): { address: string; family: number } {
  const h = host.replace(/^\[|\]$/g, '');
  if (isIP(h) !== 0) return { address: h, family: isIP(h) };
  return options.family === 6 ? { address: '::1', family: 6 } : { address: '127.0.0.1', family: 4 };
}

function guardedLookup(host: string, optionsOrCallback: unknown, maybeCallback?: unknown): void {
  const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as LookupCallback;
  const raw = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
  const options: dns.LookupOptions = typeof raw === 'number' ? { family: raw } : ((raw ?? {}) as dns.LookupOptions);
  if (!isLoopback(host)) {
    const error = refused('lookup', host);
    process.nextTick(() => callback(error));
    return;
  }
  const answer = loopbackAnswer(host, options);
  process.nextTick(() => (options.all === true ? callback(null, [answer]) : callback(null, answer.address, answer.family)));
}

/** The host and port a `socket.connect(...)` call names, whatever form its arguments take. */
function target(args: unknown[]): { host?: string; port?: number; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    // An options object as https passes it carries `path: null` and the host twice (`host`, `hostname`): net takes a pipe only for a non-empty path.
    const o = first as { host?: string | null; port?: number | string | null; path?: string | null };
    if (typeof o.path === 'string' && o.path !== '') return { path: o.path };
    return { ...(typeof o.host === 'string' && o.host !== '' ? { host: o.host } : {}), ...(o.port === undefined || o.port === null ? {} : { port: Number(o.port) }) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: Number(first), ...(typeof args[1] === 'string' ? { host: args[1] } : {}) };
}

/** Installs the guard for the rest of the process (a second call does nothing). */
export function installLoopbackGuard(): void {
  if (installed) return;
  installed = true;
  // The callback form, its promisified form (node's own carries { address, family }) and dns.promises.
  const lookup = guardedLookup as unknown as typeof dns.lookup;
  Object.defineProperty(lookup, promisify.custom, {
    value: (host: string, options: dns.LookupOptions = {}) =>
      new Promise((resolve, reject) => {
        guardedLookup(host, options, (error: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) =>
          error === null ? resolve(Array.isArray(address) ? address : { address, family }) : reject(error),
        );
      }),
  });
  dns.lookup = lookup;
  dns.promises.lookup = (lookup as unknown as Record<symbol, typeof dns.promises.lookup>)[promisify.custom] as typeof dns.promises.lookup;
  // Every TCP connection, TLS ones included (tls.connect connects a net.Socket underneath), and undici's.
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const { host = 'localhost', port, path } = target(args);
    if (path === undefined && !isLoopback(host)) {
      const error = refused('connect', host, port);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
}

/** The attempts refused so far, oldest first. */
export function refusedAttempts(): readonly Refusal[] {
  return [...refusals];
}
