/**
 * The requests the benchmarks send, built once before a load and reused by every connection: the
 * grants of bench/lib/grant.ts (a good JWT Bearer grant, `invalid assertion`, the peers' bodies),
 * re-exported here, and the catalogue as a mix (every scenario that runs over HTTPS without a
 * `mock` section, built with buildRequest from the HTTPS mock target's context, each aimed at the
 * login port with its logical host in the Host header, as the node adapter serves it). The mix is the one request here built
 * with this checkout's own code (scenarios and client), so only the sections that need it load it.
 */
import { catalogue } from '../../scenarios/load.ts';
import { buildRequest } from '../../src/client/build-request.ts';
import { httpsTarget } from '../../src/runner/mock-target.ts';
import type { LoadRequest } from './load.ts';

export { FORM, grantBody, peerBodies, send, TOKEN_PATH, wrongKeyBody } from './grant.ts';

export interface MixEntry {
  id: string;
  expectedStatus: number;
  request: LoadRequest;
}

/**
 * The catalogue as one request sequence. Assertions expire three minutes after they are built (the
 * catalogue's own `exp`), so build the mix right before the load that uses it.
 */
export async function catalogueMix(): Promise<MixEntry[]> {
  const target = await httpsTarget();
  try {
    const out: MixEntry[] = [];
    for (const s of catalogue()) {
      if (!s.runsOn.includes('mock-https') || s.mock !== undefined) continue;
      const ctx = target.context(s);
      if ('skip' in ctx) continue;
      // The real host name of each role: it goes in the Host header, and every request goes to one port.
      const built = buildRequest({ ...ctx, hostUrl: (role) => ctx.realUrl(role) }, s.mistakes);
      const url = new URL(built.url);
      if (url.protocol !== 'https:') continue;
      out.push({
        id: s.id,
        expectedStatus: s.expect.status,
        request: { method: built.method, path: `${url.pathname}${url.search}`, headers: { ...built.headers, Host: url.host }, ...(built.body === undefined ? {} : { body: built.body }) },
      });
    }
    return out;
  } finally {
    await target.close();
  }
}
