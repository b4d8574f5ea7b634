/**
 * The mock org as real HTTP(S) servers on loopback: one listener per logical host (login, test, each
 * My Domain, site and lightning host), so a client pointed at a base URL talks to that host and may
 * use the URL as `aud`. A request whose Host header names a Salesforce host (a client that maps the
 * real names to 127.0.0.1) is served as that host, whatever port it reached. HTTPS by default, with
 * a local CA (see local-ca.ts). Each request goes to the core as node parsed it, without a fetch
 * Request per call (node/: listener, incoming, write). This file sets up the listeners, their
 * limits against hostile or broken clients (TLS handshakes included), and the handle that closes them.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { ResourceError } from '../../lib/errors.ts';
import type { StoredKeyPair } from '../../lib/state-folder.ts';
import { defaultStateDir } from '../../lib/state-folder.ts';
import { ADMIN_PREFIX } from '../admin/prefix.ts';
import { newAdminToken, setAdminToken } from '../admin/protection.ts';
import { MockOrg, type MockOrgOptions } from '../core/mock-org.ts';
import { loadFixtures } from '../fixtures.ts';
import { attachLabs } from '../labs/runtime.ts';
import { type HostUrls, LOGIN_HOST, myDomainHost, siteHost, TEST_HOST } from '../world/hosts.ts';
import { prepareWorld } from '../world/prepare.ts';
import type { World } from '../world/schema.ts';
import { serverTls } from './local-ca.ts';
import { nodeListener } from './node/listener.ts';

export { writeWire } from './node/write.ts';

export interface StartMockOrgOptions extends Omit<MockOrgOptions, 'world'> {
  /** The world to serve; the default training ground when absent. */
  world?: World;
  /** A world file to load, when `world` is not given. */
  worldFile?: string;
  /** A fixtures folder (mock-server/fixtures.ts) to serve as the user's routes, when `routes` is not given. */
  fixtures?: string;
  /** Port of the first host (login); the others take the next ports. 0 (default): free ports. */
  port?: number;
  /** Address to bind; loopback only by default. */
  bind?: string;
  /** HTTPS with the local CA (default), or plain HTTP. */
  tls?: boolean;
  /** Folder for the local CA and the default world's keys (default .sfjwt or SFJWT_HOME). */
  stateDir?: string;
  /**
   * Folder of the CA the server's certificate comes from, when it is not the state folder's own:
   * another folder serves a certificate the clients given the usual CA must refuse (`exec --fault untrusted-tls`).
   */
  tlsStateDir?: string;
  /**
   * Name Salesforce's hosts in the answers (`instance_url: https://acme.my.salesforce.com`) instead of
   * the listeners' addresses: for clients whose look-ups and connections are routed to the listeners.
   */
  realHostNames?: boolean;
  /** Limits that keep hostile or broken clients from holding the server. */
  limits?: Partial<ServerLimits>;
  /**
   * The token the admin API's state changes need (Authorization: Bearer, or x-sfjwt-admin-token): a
   * random one per start when absent, since any local page or process can reach the port; false for none.
   */
  adminToken?: string | false;
}

export interface ServerLimits {
  /**
   * An HTTPS client must finish its TLS handshake within this time (a connection that sends nothing,
   * or a ClientHello and no more, would otherwise hold its place for Node's default two minutes).
   */
  handshakeTimeoutMs: number;
  /** A client must send its headers within this time (slow-header attacks). */
  headersTimeoutMs: number;
  /** A whole request must arrive within this time (slow bodies). */
  requestTimeoutMs: number;
  /** Idle keep-alive connections are closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections one listener holds at once; more are refused. */
  maxConnections: number;
  /** Largest request head (Node answers 431 past it). */
  maxHeaderBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  handshakeTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  maxHeaderBytes: 16_384,
};

export interface StartedMockOrg extends AsyncDisposable {
  org: MockOrg;
  /** Base URL of each logical host, by host name. */
  hosts: Record<string, string>;
  login: string;
  test: string;
  /** Base URL of the admin API. */
  admin: string;
  /** The token its state changes need, or null when started with `adminToken: false`. */
  adminToken: string | null;
  /** Base URL of each org's My Domain, by org name. */
  myDomain: Record<string, string>;
  /** Base URL of each Experience Cloud site, by `org/prefix`. */
  sites: Record<string, string>;
  /** Path of the CA certificate (for NODE_EXTRA_CA_CERTS), or null over plain HTTP. */
  ca: string | null;
  caPem: string | null;
  /** The default world's app key pair (absent when a world was given). */
  appKey?: StoredKeyPair;
  close(): Promise<void>;
}

function listen(server: Server, port: number, bind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ResourceError(`port ${port} on ${bind} is already in use`, { actions: ['Choose another --port, or 0 for free ports.'], cause: error })
          : new ResourceError(`cannot listen on ${bind}:${port}: ${error.code ?? error.message}`, { cause: error }),
      );
    };
    server.once('error', onError);
    server.listen(port, bind, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startMockOrg(options: StartMockOrgOptions = {}): Promise<StartedMockOrg> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const prepared = options.world !== undefined ? { world: options.world } : prepareWorld({ stateDir, worldFile: options.worldFile, seed: options.seed });
  const useTls = options.tls ?? true;
  const routes = options.routes ?? (options.fixtures === undefined ? undefined : loadFixtures(options.fixtures));
  const org = new MockOrg({ ...options, ...(routes === undefined ? {} : { routes }), world: prepared.world, knobs: { ...(useTls ? {} : { requireTls: false }), ...options.knobs } });
  const adminToken = options.adminToken === false ? null : (options.adminToken ?? newAdminToken());
  setAdminToken(org, adminToken);
  // The training ground's labs (console Labs page, npx sfjwt lab): signed with its app key, progress in the state folder.
  if (prepared.appKey !== undefined) attachLabs(org, { privateKeyPem: prepared.appKey.privateKeyPem, progressFile: join(stateDir, 'labs', 'progress.json') });
  const tls = useTls ? serverTls(options.tlsStateDir ?? stateDir) : undefined;
  const bind = options.bind ?? '127.0.0.1';
  const scheme = useTls ? 'https' : 'http';
  const hostNames = org.index.hosts.map((h) => h.name);
  // One port per host from `port` on: a block that runs past 65535 is refused here, not as a RangeError from listen.
  const lastPort = (options.port ?? 0) + hostNames.length - 1;
  if ((options.port ?? 0) > 0 && lastPort > 65_535) {
    throw new ResourceError(`port ${options.port} leaves too few ports for the ${hostNames.length} hosts of the world: the last would be ${lastPort}, above 65535`, {
      actions: [`Choose a --port of at most ${65_536 - hostNames.length}, or 0 for free ports.`],
    });
  }
  const ports = new Map<string, number>();
  const urlHost = bind.includes(':') ? `[${bind}]` : bind;
  const local = (host: string) => {
    const port = ports.get(host);
    return port === undefined ? [] : [`${scheme}://${urlHost}:${port}`, `${scheme}://localhost:${port}`];
  };
  /** Where a host's listener is: what a client connects to. */
  const listenerUrl = (host: string) => `${scheme}://${urlHost}:${ports.get(host) ?? 0}`;
  // The answers name the listeners (127.0.0.1:PORT), or, behind something that routes the real names here (sfjwt exec), Salesforce's own host names.
  const urls: HostUrls =
    options.realHostNames === true ? { baseUrl: (host) => `${scheme}://${host}`, origins: (host) => [`${scheme}://${host}`, ...local(host)] } : { baseUrl: listenerUrl, origins: local };
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  try {
    for (const [i, name] of hostNames.entries()) {
      const listener = nodeListener({ org, ownHost: name, secure: useTls, urls });
      // Node checks the two timeouts on an interval; a short limit needs a short interval to bite.
      const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)));
      const serverOptions = {
        maxHeaderSize: limits.maxHeaderBytes,
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: limits.headersTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval,
        // An HTTP/1.1 request without Host goes to the listener, to be answered and journalled as
        // HTTP/1.0 without one is (node would answer an empty 400 the journal never sees).
        requireHostHeader: false,
      };
      const server =
        tls === undefined ? createHttpServer(serverOptions, listener) : createHttpsServer({ ...serverOptions, key: tls.key, cert: tls.cert, handshakeTimeout: limits.handshakeTimeoutMs }, listener);
      server.maxConnections = limits.maxConnections;
      // A TLS handshake that failed or timed out: node leaves the socket open on a timeout, and https
      // passes it on to 'clientError', where end() would never close a connection that is not yet
      // TLS. Destroyed first, it frees its place at once (the clientError handler then finds it
      // unwritable). No answer can be written: there is no TLS session to write it in.
      if (tls !== undefined) server.prependListener('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      // Malformed HTTP never reaches the core: answer and close, as node's default does, without a crash.
      // A failed TLS handshake arrives here too (https passes it on), already destroyed above.
      server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
        const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
        if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        else socket.destroy();
      });
      servers.push(server);
      const wanted = options.port === undefined || options.port === 0 ? 0 : options.port + i;
      ports.set(name, await listen(server, wanted, bind));
    }
  } catch (error) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    throw error;
  }
  const close = async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  };
  const world = org.index.world;
  const started: StartedMockOrg = {
    org,
    hosts: Object.fromEntries(hostNames.map((h) => [h, listenerUrl(h)])),
    login: listenerUrl(LOGIN_HOST),
    test: listenerUrl(TEST_HOST),
    admin: `${listenerUrl(LOGIN_HOST)}${ADMIN_PREFIX}`,
    adminToken,
    myDomain: Object.fromEntries(world.orgs.map((o) => [o.name, listenerUrl(myDomainHost(o))])),
    sites: Object.fromEntries(world.orgs.flatMap((o) => o.sites.map((s) => [`${o.name}/${s.urlPathPrefix}`, `${listenerUrl(siteHost(o))}/${s.urlPathPrefix}`]))),
    ca: tls?.caFile ?? null,
    caPem: tls?.caPem ?? null,
    close,
    [Symbol.asyncDispose]: close,
  };
  if (prepared.appKey !== undefined) started.appKey = prepared.appKey;
  return started;
}
