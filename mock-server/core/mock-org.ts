/**
 * A Salesforce org in a box: the core every adapter (msw, node:http/https, container) calls. It is a
 * function of (Request, world, clock) to Response, plus the state a real org keeps: sessions (ended
 * by inactivity, revocation or a Setup change of their user), Login History, the journal of what it saw. Adapters tell it which logical host a request landed on,
 * whether it came over TLS, the caller's IP and how base URLs look to the client.
 */

import { ADMIN_PREFIX, handleAdmin } from '../admin/routes.ts';
import { CONSOLE_PREFIX, handleConsole } from '../console/routes.ts';
import { type HostUrls, lightningHost, myDomainHost, siteHost } from '../world/hosts.ts';
import type { World } from '../world/schema.ts';
import { WorldIndex } from '../world/world-index.ts';
import { answerAuthorize, clearAuthorizeFlows, isAuthorizeRequest } from './authorize.ts';
import { type Clock, cryptoRandom, type Random, seededRandom, sleep, systemClock } from './clock.ts';
import { ForcedQueue } from './forced.ts';
import { fromFetchRequest, type IncomingRequest } from './incoming.ts';
import { Journal } from './journal.ts';
import { type KnobChanges, type Knobs, resolveKnobs } from './knobs.ts';
import { type LiveSession, sessionStep } from './live-session.ts';
import { LoginHistory } from './login-history.ts';
import { UNADDRESSED_REQUEST } from './outcomes.ts';
import { type Redactor, RedactorCache } from './redactor.ts';
import { badRequestPage, setHeader, toResponse, type WireResponse } from './responses.ts';
import { clearApiUsage } from './rest/api-usage.ts';
import { handleRest, isRestPath } from './rest.ts';
import { answerRevoke, isRevokeRequest } from './revoke.ts';
import { Sessions } from './sessions.ts';
import { cursorsOf } from './soql/cursors.ts';
import { clearCodes } from './token/codes.ts';
import { answerToken } from './token/endpoint.ts';
import type { Trace } from './trace.ts';
import { answerUserRoute, servesUserPath, type UserRoute } from './user-routes.ts';

export interface ServeContext {
  /** Logical host the request landed on (login.salesforce.com, acme.my.salesforce.com, …). */
  host: string;
  secure: boolean;
  clientIp: string;
  urls: HostUrls;
}

export interface MockOrgOptions {
  world: World;
  knobs?: KnobChanges;
  clock?: Clock;
  /** Seeds access tokens and cookies; without it they come from node:crypto. */
  seed?: number;
  /** Strict mode: responses byte-identical to Salesforce's, without the x-sfjwt-trace header. */
  strict?: boolean;
  /**
   * The user's own endpoints (a fixtures folder: loadFixtures), answered behind a real session on
   * the world's org hosts, ahead of the mock's REST API; see user-routes.ts.
   */
  routes?: readonly UserRoute[];
}

export const TRACE_HEADER = 'x-sfjwt-trace';

export class MockOrg {
  index: WorldIndex;
  knobs: Knobs;
  readonly journal: Journal;
  readonly sessions = new Sessions();
  readonly loginHistory = new LoginHistory();
  readonly forced = new ForcedQueue();
  readonly random: Random;
  /** The user's own endpoints, as given; a reset keeps them. */
  readonly routes: readonly UserRoute[];
  clockOffsetMs = 0;
  private readonly clock: Clock;
  private readonly knobLayers: KnobChanges[];
  private traceCounter = 0;
  private readonly redactors = new RedactorCache();

  constructor(options: MockOrgOptions) {
    // No copy: the index never changes the world it is given (changes go to its own copies of what
    // they touch), so the given world is the one pristine copy that reset returns to. A caller that
    // changes that world afterwards changes what the mock serves: give it a world of its own.
    this.index = new WorldIndex(options.world);
    this.clock = options.clock ?? systemClock;
    this.random = options.seed === undefined ? cryptoRandom : seededRandom(options.seed);
    this.routes = options.routes ?? [];
    this.knobLayers = [options.world.knobs ?? {}, options.knobs ?? {}, options.strict === true ? { traceHeader: false } : {}];
    this.knobs = resolveKnobs(...this.knobLayers);
    // The journal asks for the redactor at every trace it stores, so it knows the secrets of the
    // world as it is then (after a reset, a Setup change or another index).
    this.journal = new Journal(this.knobs.journalSize, { redactor: () => this.redactor() });
  }

  /** What keeps the current world's consumer secrets out of what the mock stores and shows. */
  redactor(): Redactor {
    return this.redactors.of(this.index.world.apps, this.index.world.users);
  }

  /** Milliseconds since the epoch on the org's clock (the injected clock plus the admin offset). */
  now(): number {
    return this.clock.now() + this.clockOffsetMs;
  }

  /** Resolves once `ms` have passed on the org's clock (real time for a clock that cannot wait). */
  sleep(ms: number): Promise<void> {
    return this.clock.sleep?.(ms) ?? sleep(ms);
  }

  setKnobs(changes: KnobChanges): void {
    this.knobLayers.push(changes);
    this.knobs = resolveKnobs(...this.knobLayers);
    // A new journalSize takes effect at once: the journal keeps its newest entries that fit.
    this.journal.resize(this.knobs.journalSize);
  }

  /** Back to the world and knobs it started with; journal, sessions, history and forced outcomes cleared. */
  reset(): void {
    // The pristine world again: shares the index's lookup maps, copies only the list of users.
    this.index = this.index.fresh();
    this.knobLayers.splice(3);
    this.knobs = resolveKnobs(...this.knobLayers);
    this.journal.clear(this.knobs.journalSize);
    this.sessions.clear();
    this.loginHistory.clear();
    this.forced.clear();
    clearAuthorizeFlows(this);
    clearCodes(this);
    this.clockOffsetMs = 0;
    // The REST API's daily count and the SOQL cursors start again, as the sessions do.
    clearApiUsage(this);
    cursorsOf(this).clear();
  }

  async handle(request: Request, sc: ServeContext): Promise<Response> {
    const answer = await this.answer(fromFetchRequest(request), sc);
    if (answer === 'dropped') return Response.error();
    return answer instanceof Response ? answer : toResponse(answer);
  }

  /**
   * What `handle` answers, before it becomes a fetch Response: the wire answer of the token, identity
   * and REST endpoints (the node adapter writes it straight to the socket), the admin API's Response,
   * or `dropped` when the connection is to be dropped unanswered.
   */
  async answer(request: IncomingRequest, sc: ServeContext): Promise<WireResponse | Response | 'dropped'> {
    const url = request.url;
    let path = url.pathname;
    if (path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`)) return handleConsole(this, request, sc);
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) return handleAdmin(this, request, sc);
    const host = this.index.host(sc.host);
    if (host === undefined) throw new Error(`the adapter passed ${sc.host}, which is not a host of this world`);
    let sitePrefix: string | undefined;
    if (host.kind === 'site') {
      const segment = path.split('/')[1] ?? '';
      const org = host.org === undefined ? undefined : this.index.org(host.org);
      if (org?.sites.some((s) => s.urlPathPrefix === segment) === true) {
        sitePrefix = `/${segment}`;
        path = path.slice(sitePrefix.length) || '/';
      }
    }
    this.traceCounter += 1;
    const traceId = `trace-${this.traceCounter}`;
    if (isAuthorizeRequest(request.method, host, path)) {
      const trace = this.newTrace(traceId, request, sc, host.name, 'token');
      const response = await answerAuthorize(this, request, sc, host, trace);
      this.journal.add(trace);
      return this.stamped(response, traceId);
    }
    if (isRevokeRequest(request.method, host, path)) {
      const trace = this.newTrace(traceId, request, sc, host.name, 'token');
      const response = await answerRevoke(this, request, trace, sc.secure);
      this.journal.add(trace);
      return this.stamped(response, traceId);
    }
    // `//services/data/…` (a base URL with a trailing slash, plus the path) reaches the REST API.
    if (this.knobs.collapseLeadingSlashes && path.startsWith('//') && isRestPath(path.replace(/^\/{2,}/, '/'))) path = path.replace(/^\/{2,}/, '/');
    // The user's routes (and Apex REST's answer to a path none matches) on the org's hosts.
    if (host.kind !== 'lightning' && host.org !== undefined && servesUserPath(this.routes, path)) {
      const trace = this.newTrace(traceId, request, sc, host.name, 'rest');
      const response = answerUserRoute(this, request, sc, path, trace);
      trace.response.status = response.status;
      this.journal.add(trace);
      return this.stamped(response, traceId);
    }
    if (host.kind === 'lightning' || !isRestPath(path)) {
      const answer = await answerToken(this, request, sc, { host, path, sitePrefix }, traceId);
      return answer === 'dropped' ? answer : this.stamped(answer, traceId);
    }
    const trace = this.newTrace(traceId, request, sc, host.name, 'token');
    const response = handleRest(this, request, sc, path, sitePrefix, trace);
    if (trace.response.status === 0) trace.response.status = response.status;
    this.journal.add(trace);
    return this.stamped(response, traceId);
  }

  /**
   * Journals a call that one of the user's own msw handlers answered behind `withSession`: a REST
   * trace with the session check (`live`, or why there was none) and the status the handler gave.
   * Returns the trace's id.
   */
  journalUserCall(request: { method: string; url: URL; contentType: string | null }, sc: Pick<ServeContext, 'host' | 'clientIp'>, live: LiveSession | string, status: number): string {
    this.traceCounter += 1;
    const traceId = `trace-${this.traceCounter}`;
    const header = (name: string) => (name.toLowerCase() === 'content-type' ? request.contentType : null);
    const trace = this.newTrace(traceId, { method: request.method, url: request.url, header }, sc, sc.host, 'rest');
    trace.response.status = status;
    const step = sessionStep(live);
    if (typeof live !== 'string') {
      step.note = 'answered by a handler of the suite (withSession)';
      trace.username = live.user.username;
    }
    trace.checks.push(step);
    this.journal.add(trace);
    return traceId;
  }

  /** A trace of a request, to be filled in by the endpoint that answers it (the caller journals it). */
  newTrace(id: string, request: Pick<IncomingRequest, 'method' | 'url' | 'header'>, sc: Pick<ServeContext, 'clientIp'>, host: string, kind: Trace['kind']): Trace {
    return {
      id,
      time: new Date(this.now()).toISOString(),
      kind,
      request: { method: request.method, host, path: request.url.pathname, clientIp: sc.clientIp, contentType: request.header('content-type') },
      response: { status: 0 },
      decidedBy: null,
      outcome: 'other',
      checks: [],
    };
  }

  /**
   * A request the adapter could not address (no Host, or a Host or target that names no URL): the
   * front's 400 page, journalled and counted like any request. `path` is the target as the adapter
   * cut it for the trace (no query, bounded); nothing of the body is read.
   */
  unaddressed(request: { method: string; path: string; contentType: string | null }, sc: ServeContext): WireResponse {
    this.traceCounter += 1;
    const traceId = `trace-${this.traceCounter}`;
    this.journal.add({
      id: traceId,
      time: new Date(this.now()).toISOString(),
      kind: 'other',
      request: { method: request.method, host: sc.host, path: request.path, clientIp: sc.clientIp, contentType: request.contentType },
      response: { status: UNADDRESSED_REQUEST.status },
      decidedBy: null,
      outcome: 'other',
      checks: [],
    });
    return this.stamped(badRequestPage(new Date(this.now())), traceId);
  }

  /** The answer with the trace id header (left off in strict mode, as Salesforce sends none). */
  private stamped(response: WireResponse, traceId: string): WireResponse {
    if (this.knobs.traceHeader) setHeader(response, TRACE_HEADER, traceId);
    return response;
  }

  /** A summary of the world for people and tools: hosts, apps (no secrets) and users with their situation. */
  describe() {
    const world = this.index.world;
    return {
      seed: world.seed ?? null,
      orgs: world.orgs.map((o) => ({
        name: o.name,
        id: o.id,
        kind: o.kind,
        status: o.status,
        myDomain: myDomainHost(o),
        lightning: lightningHost(o),
        sites: o.sites.map((s) => `${siteHost(o)}/${s.urlPathPrefix}`),
      })),
      apps: world.apps.map((a) => ({
        name: a.name,
        kind: a.kind,
        org: a.org,
        consumerKey: a.consumerKey,
        policy: a.policy,
        scopes: a.scopes,
        certificates: this.index.certificates(a).map((c) => ({ sha256: c.sha256, subject: c.subject, notAfter: c.notAfter.toISOString() })),
      })),
      users: world.users.map((u) => ({ username: u.username, id: u.id, org: u.org, profile: u.profile, role: u.role ?? null, situation: u.situation ?? null })),
      knobs: this.knobs,
    };
  }
}
