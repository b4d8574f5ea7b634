/**
 * The docs cannot drift from the code. The reference pages under docs/ document every check id, every
 * knob (the table in docs/knobs.md is the one KNOBS renders: `SFJWT_UPDATE_DOCS=1` rewrites it) and
 * every admin endpoint the mock lists; every relative link in the README and the pages names a file
 * and a heading that exist. The README's and the pages' msw, Setup and `await using` examples run here
 * for real; the package test (test/package.test.ts) walks every shell and JavaScript example of the
 * README in a freshly installed project.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { approveApp, CHECKS, defaultWorld, frozenClock, KNOBS, MockOrg, salesforceHandlers, setUserState, startMockOrg } from './index.ts';
import { formBody, goodClaims, JWT_GRANT, signAssertion, testKeys, testStateDir, tokenRequest } from './testing/fixtures.ts';
import { NOW } from './testing/now.ts';

const ROOT = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const PAGES = readdirSync(new URL('docs/', ROOT))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);

/** The knob table as KNOBS says it: name, default, confidence, the values it takes, what it does. */
function knobTable(): string {
  const values = (k: (typeof KNOBS)[number]): string => {
    if (k.range !== undefined) return `${k.range.min}–${k.range.max}${k.range.nullable === true ? ', or `null`' : ''}`;
    if (typeof k.default === 'boolean') return '`true`, `false`';
    return '—';
  };
  const rows = KNOBS.map((k) => `| \`${k.name}\` | \`${JSON.stringify(k.default)}\` | ${k.confidence} | ${values(k)} | ${k.description.replaceAll('|', '\\|')} |`);
  return ['| knob | default | confidence | values | what |', '|---|---|---|---|---|', ...rows].join('\n');
}

const GENERATED = /(<!-- generated from KNOBS: do not edit by hand -->\n)([\s\S]*?)(\n<!-- end of generated table -->)/;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('the docs', () => {
  const checks = read('docs/checks.md');
  it.each(CHECKS.map((c) => [c.id]))('docs/checks.md documents the check %s', (id) => {
    expect(checks).toContain(`| \`${id}\` |`);
  });

  it('docs/knobs.md holds the knob table KNOBS renders (SFJWT_UPDATE_DOCS=1 rewrites it)', () => {
    const page = read('docs/knobs.md');
    const found = GENERATED.exec(page);
    expect(found, 'docs/knobs.md needs the generated-table markers').not.toBeNull();
    if (process.env['SFJWT_UPDATE_DOCS'] === '1' && found?.[2] !== knobTable()) {
      writeFileSync(
        new URL('docs/knobs.md', ROOT),
        page.replace(GENERATED, (_m, a: string, _t, b: string) => `${a}${knobTable()}${b}`),
      );
      return;
    }
    expect(found?.[2]).toBe(knobTable());
  });

  it('docs/admin-api.md documents every endpoint the admin API lists', async () => {
    const org = new MockOrg({ world: defaultWorld({ certificatePem: testKeys().certificatePem }) });
    const res = await org.handle(new Request('https://login.salesforce.com/__sfjwt/'), {
      host: 'login.salesforce.com',
      secure: true,
      clientIp: '127.0.0.1',
      urls: { baseUrl: (h) => `https://${h}`, origins: (h) => [`https://${h}`] },
    });
    const { endpoints } = (await res.json()) as { endpoints: string[] };
    expect(endpoints.length).toBeGreaterThan(10);
    const page = read('docs/admin-api.md');
    const missing = endpoints.flatMap((e) => {
      const [methods = '', path = ''] = e.split(' ');
      const bare = path.replace(/\?.*$/, '').replace(':id', '<id>');
      return methods.split('|').map((m) => `\`${m} /__sfjwt${bare}`);
    });
    // The path ends there, or its query string follows.
    expect(missing.filter((m) => !page.includes(`${m}\``) && !page.includes(`${m}?`))).toEqual([]);
  });

  it.each(['README.md', ...PAGES].map((p) => [p]))('every relative link in %s names a file and heading that exist', (path) => {
    const text = read(path);
    const broken: string[] = [];
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [file = '', hash] = target.split('#');
      const resolved = file === '' ? new URL(path, ROOT) : new URL(file, new URL(path, ROOT));
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (hash === undefined || !resolved.pathname.endsWith('.md')) continue;
      const headings = [...readFileSync(resolved, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1] ?? ''));
      if (!headings.includes(hash)) broken.push(`${target}: no heading #${hash}`);
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page under docs/', () => {
    const readme = read('README.md');
    expect(PAGES.filter((p) => !readme.includes(`](${p}`))).toEqual([]);
  });
});

describe('examples of docs/in-your-tests.md, run', () => {
  it('msw example: intercepts login.salesforce.com and records the deciding check', async () => {
    const org = new MockOrg({ world: defaultWorld({ certificatePem: testKeys().certificatePem }) });
    const server = setupServer(...salesforceHandlers(org));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const res = await fetch('https://login.salesforce.com/services/oauth2/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toBe('{"error":"unsupported_grant_type","error_description":"grant type not supported"}');
      expect(org.journal.list(1)[0]?.decidedBy).toBe('grant-type');
    } finally {
      server.close();
    }
  });

  it('Setup example: approving the app lets the user in; freezing the user shuts them out', async () => {
    const org = new MockOrg({ world: defaultWorld({ certificatePem: testKeys().certificatePem }), clock: frozenClock(NOW) });
    const grant = (sub: string) =>
      org.handle(tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(org.index.world, { sub }) }) })), {
        host: 'login.salesforce.com',
        secure: true,
        clientIp: '127.0.0.1',
        urls: { baseUrl: (h) => `https://${h}`, origins: (h) => [`https://${h}`] },
      });
    expect(await (await grant('unapproved@acme.com')).text()).toBe('{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}');
    expect(approveApp(org, { username: 'unapproved@acme.com', app: 'Acme Integration' })).toEqual({ ok: true, value: {} });
    expect((await grant('unapproved@acme.com')).status).toBe(200);
    expect(setUserState(org, { username: 'integration@acme.com', frozen: true })).toEqual({ ok: true, value: {} });
    expect(await (await grant('integration@acme.com')).text()).toBe('{"error":"invalid_grant","error_description":"user is frozen"}');
  });

  it('await using example: the server is closed when the block ends', async () => {
    let login = '';
    {
      await using mock = await startMockOrg({ port: 0, tls: false, stateDir: testStateDir() });
      login = mock.login;
      expect((await fetch(`${login}/__sfjwt/health`)).status).toBe(200);
    }
    await expect(fetch(`${login}/__sfjwt/health`)).rejects.toThrow();
  });
});
