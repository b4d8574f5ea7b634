/**
 * Time per page of a 2,000-record SOQL query over fixture records (Account, 2,000 generated): the
 * query parsed, filtered, sorted and shaped, through the data route in-process. Prints the median
 * of 30 runs after a warm-up. Alone: npx tsx bench/soql.ts
 */
import { manualClock } from '../mock-server/core/clock.ts';
import type { IncomingRequest } from '../mock-server/core/incoming.ts';
import { MockOrg } from '../mock-server/core/mock-org.ts';
import { handleDataRoute } from '../mock-server/core/rest-data.ts';
import { withAccounts } from '../mock-server/testing/soql-world.ts';
import { isMain, median } from './lib/format.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const SOQL = "SELECT Id, Name, AnnualRevenue FROM Account WHERE Name != 'x' ORDER BY AnnualRevenue DESC, Id";

export function soqlPageTimes(runs = 30): number[] {
  const mock = new MockOrg({ world: withAccounts(2_000), clock: manualClock(NOW), seed: 7 });
  const org = mock.index.world.orgs[0];
  const user = mock.index.userById('0055g00000AaAaAAAV');
  if (org === undefined || user === undefined) throw new Error('the fixture world has no org or user');
  const url = new URL(`https://acme.my.salesforce.com/services/data/v68.0/query?q=${encodeURIComponent(SOQL)}`);
  const request: IncomingRequest = { method: 'GET', url, header: () => null, readBody: async () => '' };
  const ctx = {
    version: 68,
    path: '/query',
    url,
    session: { userId: user.id, orgId: org.id, app: 'Integration', issuedAt: NOW, expiresAt: NOW + 1 },
    user,
    org,
    baseUrl: 'https://acme.my.salesforce.com',
  };
  const once = () => {
    const res = handleDataRoute(mock, request, ctx);
    if (res?.status !== 200 || !res.body.includes('"totalSize":2000,"done":true')) throw new Error(`unexpected answer ${res?.status}`);
  };
  for (let i = 0; i < 5; i += 1) once();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    once();
    times.push(performance.now() - t0);
  }
  return times;
}

if (isMain(import.meta.url)) {
  const times = soqlPageTimes();
  console.log(`SOQL page of 2,000 records: median ${median(times).toFixed(2)} ms (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}, ${times.length} runs)`);
}
