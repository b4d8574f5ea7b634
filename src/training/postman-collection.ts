/**
 * The Postman collection (format v2.1) of an export plan, as a pure function: a folder per area of
 * the catalogue (the first word of a scenario's id), a request per scenario with the method, URL,
 * headers and body buildRequest made, byte for byte (a raw body; Postman's own Content-Type, URL
 * encoding and redirects turned off), except that each host's base URL is an environment variable
 * (`{{login_url}}`) and the assertion is one (`{{assertion_claims_iss_capitalised}}`), since Postman
 * cannot sign RS256 and an assertion is a credential for its few minutes. Each request has its
 * scenario's title, explanation and fix as its description and a test of the answer Salesforce
 * gives; against the served mock, the collection's pre-request script resets the mock before each
 * request and puts it in the request's scenario's state.
 * Nothing in it depends on the time or holds a secret: exported twice, it is the same file.
 */
import { createHash } from 'node:crypto';
import { answerLine } from '../runner/answer.ts';
import { describeStep, mockSteps } from './postman-mock-state.ts';
import type { ExportedRequest, ExportPlan } from './postman-requests.ts';
import { prerequestLines, testLines } from './postman-scripts.ts';

export const COLLECTION_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** A host's base URL as the environment holds it, by the name the collection uses. */
export interface HostVariable {
  variable: string;
  url: string;
}

export interface CollectionInput {
  /** Starts with "sfjwt:" (the writer replaces only a file whose name does). */
  name: string;
  /** The served mock (pre-request scripts set its state) or a real org. */
  kind: 'mock' | 'real';
  plan: ExportPlan;
  hosts: readonly HostVariable[];
  /** Extra paragraphs of the collection's description (how to run it against this target). */
  notes: readonly string[];
}

/** A UUID-shaped id that depends on `text` only, so an export's ids never change. */
export function stableId(text: string): string {
  const h = createHash('sha256').update(`sfjwt postman ${text}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The environment variable of a scenario's assertion: `assertion_` and its id in snake case. */
export function assertionVariable(id: string): string {
  return `assertion_${id.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/** The text with the assertion as its variable and a URL's base as its host's variable. */
export function templated(text: string, item: ExportedRequest, hosts: readonly HostVariable[], isUrl = false): string {
  const assertion = item.request.assertion;
  let out = assertion === undefined || assertion === '' ? text : text.split(assertion).join(`{{${assertionVariable(item.scenario.id)}}}`);
  if (isUrl) {
    // The longest base first: a site's URL (a host and a path prefix) before its host's.
    const host = [...hosts].sort((a, b) => b.url.length - a.url.length).find((h) => out.startsWith(h.url) && /^([/?#]|$)/.test(out.slice(h.url.length)));
    if (host !== undefined) out = `{{${host.variable}}}${out.slice(host.url.length)}`;
  }
  return out;
}

const script = (listen: 'prerequest' | 'test', exec: string[]) => ({ listen, script: { type: 'text/javascript', exec } });

/** The request's description: the scenario's title, why, the fix, the answer, and the mock's state. */
function description(item: ExportedRequest, kind: CollectionInput['kind']): string {
  const s = item.scenario;
  const steps = kind === 'mock' ? mockSteps(s, item.context) : [];
  return [
    `**${s.title}** (${s.level}; scenario \`${s.id}\`)`,
    s.explanation,
    `**Fix:** ${s.fix}`,
    `**Salesforce answers:** ${answerLine({ status: s.expect.status, ...pick(s.expect), body: s.expect.body, ...(s.expect.status === 200 ? { hasToken: true } : {}) })} (confidence ${s.confidence})`,
    ...(steps.length === 0 ? [] : [`**The mock first** (the collection's pre-request script, after its reset): ${steps.map(describeStep).join('; ')}.`]),
    ...(s.references.length === 0 ? [] : [`References: ${s.references.join('; ')}`]),
  ].join('\n\n');
}

function pick(e: { error?: string | undefined; error_description?: string | undefined }): { error?: string; error_description?: string } {
  return { ...(e.error === undefined ? {} : { error: e.error }), ...(e.error_description === undefined ? {} : { error_description: e.error_description }) };
}

/** One request of the collection: exactly what buildRequest made, with variables for the hosts and the assertion. */
export function requestItem(item: ExportedRequest, kind: CollectionInput['kind'], hosts: readonly HostVariable[]) {
  const { request, scenario } = item;
  const t = (text: string) => templated(text, item, hosts);
  return {
    id: stableId(`request ${scenario.id}`),
    name: scenario.id,
    description: description(item, kind),
    event: [script('test', testLines(scenario.expect, { mock: kind === 'mock' }))],
    // As sent: no redirect followed (a lightning host's 302 is the answer), the URL not re-encoded,
    // and no Content-Type of Postman's where the request has none.
    protocolProfileBehavior: { followRedirects: false, disableUrlEncoding: true, disabledSystemHeaders: { 'content-type': true } },
    request: {
      method: request.method,
      header: Object.entries(request.headers).map(([key, value]) => ({ key, value: t(value) })),
      ...(request.body === undefined ? {} : { body: { mode: 'raw', raw: t(request.body) } }),
      url: templated(request.url, item, hosts, true),
    },
  };
}

const areaOf = (id: string) => id.split('.')[0] ?? id;

/** The whole collection: its description (target, left-out scenarios with why), then a folder per area. */
export function postmanCollection(input: CollectionInput) {
  const areas = [...new Set(input.plan.requests.map((r) => areaOf(r.scenario.id)))];
  const leftOut = input.plan.leftOut.map((l) => `- \`${l.id}\`: ${l.reason}`);
  // The mock's state by request name (the scenario's id), for the one pre-request script.
  const state = Object.fromEntries(
    input.plan.requests.flatMap((r) => {
      const steps = mockSteps(r.scenario, r.context);
      return steps.length === 0 ? [] : [[r.scenario.id, steps] as const];
    }),
  );
  return {
    info: {
      _postman_id: stableId(`collection ${input.name}`),
      name: input.name,
      description: [
        `${input.plan.requests.length} scenarios of the sfjwt catalogue, one request each, with a test of the answer Salesforce gives. Postman cannot sign RS256: each assertion is an environment variable that \`npx sfjwt postman\` signed, valid for a few minutes; run the export again to re-sign them.`,
        ...input.notes,
        ...(leftOut.length === 0 ? [] : [`Left out (${leftOut.length}):\n\n${leftOut.join('\n')}`]),
      ].join('\n\n'),
      schema: COLLECTION_SCHEMA,
    },
    ...(input.kind === 'mock' ? { event: [script('prerequest', prerequestLines(state))] } : {}),
    item: areas.map((area) => ({
      id: stableId(`folder ${area}`),
      name: area,
      item: input.plan.requests.filter((r) => areaOf(r.scenario.id) === area).map((r) => requestItem(r, input.kind, input.hosts)),
    })),
  };
}
