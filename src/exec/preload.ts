/**
 * The preload `sfjwt exec` gives a Node process (`NODE_OPTIONS=--import=<this file>`), so that an
 * unmodified integration that calls login.salesforce.com, test.salesforce.com, a My Domain or a site
 * talks to the mock: a look-up of one of the mock's host names answers 127.0.0.1, and a connection
 * to one (node:net and node:tls, which node:http, node:https and fetch's undici all use) goes to the
 * mock's port for that host, with the TLS server name kept (the mock's certificate covers the names;
 * NODE_EXTRA_CA_CERTS trusts its CA). Every other look-up or connection that would leave loopback is
 * refused at once (ENOTFOUND, ECONNREFUSED) and written, one JSON line each, to SFJWT_EXEC_LOG, so
 * a test never reaches a real org. Configured by SFJWT_EXEC_ROUTES: `{"login.salesforce.com":43211,…}`.
 * Plain node: this file imports only node: modules and loopback.ts, which does the same.
 */

import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { isLoopback } from './loopback.ts';

const routes: Record<string, number> = JSON.parse(process.env['SFJWT_EXEC_ROUTES'] ?? '{}') as Record<string, number>;
const log = process.env['SFJWT_EXEC_LOG'];

function refused(kind: 'lookup' | 'connect', host: string, port?: number): void {
  if (log === undefined) return;
  try {
    appendFileSync(log, `${JSON.stringify({ kind, host, ...(port === undefined ? {} : { port }), pid: process.pid })}\n`);
  } catch {
    // The log is a courtesy: a refusal still happens without it.
  }
}

function routeOf(host: string | undefined): number | undefined {
  return host === undefined ? undefined : routes[host.toLowerCase().replace(/\.$/, '')];
}

// Look-ups: the mock's names are 127.0.0.1; other names that are not loopback are not found.
type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;
const originalLookup = dns.lookup;
function guardedLookup(hostname: string, ...rest: unknown[]): void {
  const callback = rest[rest.length - 1] as LookupCallback;
  const options = (typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : {}) as dns.LookupOptions;
  if (routeOf(hostname) !== undefined) {
    process.nextTick(() => (options.all === true ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
    return;
  }
  if (isLoopback(hostname) || net.isIP(hostname) !== 0) {
    (originalLookup as (...args: unknown[]) => void)(hostname, ...rest);
    return;
  }
  refused('lookup', hostname);
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (sfjwt exec: nothing may leave loopback)`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });
  process.nextTick(() => callback(error));
}
const originalPromisesLookup = dns.promises.lookup;
async function guardedPromisesLookup(hostname: string, options?: dns.LookupOptions) {
  if (routeOf(hostname) !== undefined) return options?.all === true ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 };
  if (isLoopback(hostname) || net.isIP(hostname) !== 0) return originalPromisesLookup(hostname, options ?? {});
  refused('lookup', hostname);
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (sfjwt exec: nothing may leave loopback)`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
}
// util.promisify(dns.lookup) resolves to {address, family}, as dns.lookup's own custom promisified form does.
Object.defineProperty(guardedLookup, promisify.custom, { value: guardedPromisesLookup });
(dns as { lookup: unknown }).lookup = guardedLookup;
(dns.promises as { lookup: unknown }).lookup = guardedPromisesLookup;

/** Connection options as net.connect and tls.connect take them: (options), (port, host), (port). */
function normalise(args: unknown[]): { options: Record<string, unknown>; rest: unknown[] } {
  const [first, second, ...others] = args;
  if (typeof first === 'object' && first !== null) return { options: { ...(first as Record<string, unknown>) }, rest: [second, ...others] };
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string') return { options: { port: Number(first), host: second }, rest: others };
    return { options: { port: Number(first) }, rest: [second, ...others] };
  }
  return { options: { path: first }, rest: [second, ...others] };
}

/** The options the connection really takes, or a refusal (`undefined`) for a host off loopback. */
function rerouted(options: Record<string, unknown>, withTls: boolean): Record<string, unknown> | undefined {
  if (typeof options['path'] === 'string') return options;
  const host = String(options['host'] ?? options['hostname'] ?? 'localhost');
  const port = routeOf(host);
  if (port !== undefined) {
    const out: Record<string, unknown> = { ...options, host: '127.0.0.1', port };
    delete out['hostname'];
    if (withTls && out['servername'] === undefined) out['servername'] = host;
    // The mock's name was looked up already (127.0.0.1): no further look-up.
    delete out['lookup'];
    return out;
  }
  if (isLoopback(host)) return options;
  return undefined;
}

function refusedSocket<T extends net.Socket>(make: () => T, host: string, port: number): T {
  refused('connect', host, port);
  const socket = make();
  process.nextTick(() =>
    socket.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (sfjwt exec: nothing may leave loopback)`), { code: 'ECONNREFUSED', syscall: 'connect', address: host, port })),
  );
  return socket;
}

const originalNetConnect = net.connect;
const originalTlsConnect = tls.connect;

function guardedNetConnect(...args: unknown[]): net.Socket {
  const { options, rest } = normalise(args);
  const to = rerouted(options, false);
  if (to === undefined) return refusedSocket(() => new net.Socket(), String(options['host']), Number(options['port']));
  return (originalNetConnect as (...a: unknown[]) => net.Socket)(to, ...rest.filter((r) => r !== undefined));
}

function guardedTlsConnect(...args: unknown[]): tls.TLSSocket {
  const { options, rest } = normalise(args);
  const to = rerouted(options, true);
  if (to === undefined) return refusedSocket(() => new tls.TLSSocket(new net.Socket()), String(options['host']), Number(options['port']));
  return (originalTlsConnect as (...a: unknown[]) => tls.TLSSocket)(to, ...rest.filter((r) => r !== undefined));
}

(net as { connect: unknown }).connect = guardedNetConnect;
(net as { createConnection: unknown }).createConnection = guardedNetConnect;
(tls as { connect: unknown }).connect = guardedTlsConnect;
// ESM imports of these names (`import { connect } from 'node:net'`) see the guarded functions too.
syncBuiltinESMExports();
