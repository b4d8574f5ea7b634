/**
 * A fixtures folder: the user's own endpoints as files, for `serve --fixtures DIR`, the container and
 * `new MockOrg({ routes: loadFixtures(DIR) })`. The folder mirrors URL paths; in the folder of a path,
 * a file named `<METHOD>[.<status>].<ext>` is its answer to that method:
 *
 *     fixtures/services/apexrest/orders/GET.json          GET  /services/apexrest/orders      200
 *     fixtures/services/apexrest/orders/POST.201.json     POST /services/apexrest/orders      201
 *     fixtures/services/apexrest/orders/[id]/GET.json     GET  /services/apexrest/orders/<any>
 *     fixtures/services/apexrest/ping/ANY.txt             every method
 *
 * The extension gives the Content-Type (json, xml, txt, csv, html); the file is the body as it is,
 * UTF-8 (a .json file must parse; a 204's file is empty). A folder named `[name]` stands for any one path segment; a
 * literal segment wins over it. Files and folders starting with a dot, and README files, are
 * skipped; any other name is refused with what it should look like, as are paths the mock keeps
 * (OAuth, identity, the admin API). Everything is read once, at start: restart to pick up edits.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ResourceError } from '../lib/errors.ts';
import { tryReadInputFile } from '../lib/read-input-file.ts';
import { isReservedPath, RESERVED_PREFIXES, ROUTE_METHODS, type RouteMethod, type RouteSegment, routePath, type UserRoute } from './core/user-routes.ts';

/** Content types by extension, as Salesforce writes them (`;charset=UTF-8`). */
export const FIXTURE_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json;charset=UTF-8',
  xml: 'application/xml;charset=UTF-8',
  txt: 'text/plain;charset=UTF-8',
  csv: 'text/csv;charset=UTF-8',
  html: 'text/html;charset=UTF-8',
};

/** Bounds of one folder: fixtures are hand-written answers, not a data set (data objects go in the world). */
export const FIXTURE_LIMITS = { fileBytes: 8 * 1024 * 1024, totalBytes: 64 * 1024 * 1024, routes: 10_000, depth: 32 } as const;

const FILE_NAME = /^([A-Za-z]+)(?:\.(\d{3}))?\.([A-Za-z]+)$/;
const PARAM_DIR = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/;
const SHAPE = '<METHOD>[.<status>].<ext>, such as GET.json or POST.201.json';

function refuse(dir: string, message: string, actions: readonly string[] = []): never {
  throw new ResourceError(`cannot use the fixtures folder ${dir}: ${message}`, { actions });
}

/** The routes of the fixtures folder `dir`, in a stable order (by path, then method). */
export function loadFixtures(dir: string): UserRoute[] {
  let top: ReturnType<typeof statSync>;
  try {
    top = statSync(dir);
  } catch (cause) {
    throw new ResourceError(`cannot use the fixtures folder ${dir}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String((cause as Error).message)}`, {
      actions: ['Give --fixtures the folder that mirrors your URL paths (services/apexrest/…/GET.json).'],
      cause,
    });
  }
  if (!top.isDirectory()) refuse(dir, 'it is not a folder', ['Give --fixtures a folder whose sub-folders mirror URL paths, with GET.json and the like in them.']);
  const routes: UserRoute[] = [];
  let total = 0;
  const seen = new Map<string, string>();

  const walk = (folder: string, segments: RouteSegment[]) => {
    if (segments.length > FIXTURE_LIMITS.depth) refuse(dir, `${relative(dir, folder)} is more than ${FIXTURE_LIMITS.depth} folders deep`);
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.') || /^readme(\.|$)/i.test(name)) continue;
      const path = join(folder, name);
      const shown = relative(dir, path).split(sep).join('/');
      const stats = statSync(path);
      if (stats.isDirectory()) {
        const param = PARAM_DIR.exec(name);
        if (param === null && /[[\]]/.test(name)) refuse(dir, `the folder ${shown} is neither a path segment nor a parameter`, ['Name a parameter folder [name], with letters, digits and _ only.']);
        walk(path, [...segments, param === null ? { literal: name } : { param: param[1] ?? name }]);
        continue;
      }
      if (!stats.isFile()) refuse(dir, `${shown} is not a regular file`);
      const m = FILE_NAME.exec(name);
      const method = m?.[1]?.toUpperCase();
      const ext = m?.[3]?.toLowerCase();
      if (m === null || method === undefined || ext === undefined || !(ROUTE_METHODS as readonly string[]).includes(method)) {
        refuse(dir, `${shown} is not named ${SHAPE}`, [`Methods: ${ROUTE_METHODS.join(', ')}. Extensions: ${Object.keys(FIXTURE_TYPES).join(', ')}.`]);
      }
      const contentType = FIXTURE_TYPES[ext];
      if (contentType === undefined) refuse(dir, `${shown} has the extension .${m[3]}, which gives no Content-Type`, [`Use one of: ${Object.keys(FIXTURE_TYPES).join(', ')}.`]);
      const status = m[2] === undefined ? 200 : Number(m[2]);
      if (status < 200 || status > 599) refuse(dir, `${shown} asks for status ${m[2]}; a fixture answers with 200 to 599`);
      if (segments.length === 0) refuse(dir, `${shown} is at the top of the folder, which would answer the path /`, ['Put it in the folders of its path: services/apexrest/orders/GET.json.']);
      const route: UserRoute = { method: method as RouteMethod, segments, status, contentType, body: '', source: shown };
      const at = routePath(route);
      if (isReservedPath(at)) refuse(dir, `${shown} answers ${at}, a path the mock keeps as its own (${RESERVED_PREFIXES.join(', ')})`);
      const key = `${method} ${at}`;
      const twin = seen.get(key);
      if (twin !== undefined) refuse(dir, `${shown} and ${twin} both answer ${key}`, ['Keep one of them.']);
      seen.set(key, shown);
      const read = tryReadInputFile(path, { maxBytes: FIXTURE_LIMITS.fileBytes });
      if (!('data' in read)) refuse(dir, `cannot read ${shown}: ${read.reason}`);
      total += read.data.length;
      if (total > FIXTURE_LIMITS.totalBytes)
        refuse(dir, `its files hold more than ${FIXTURE_LIMITS.totalBytes / 1024 / 1024} MiB`, ['Serve large data sets as data objects of the world (docs/world-files.md).']);
      let body: string;
      try {
        body = new TextDecoder('utf-8', { fatal: true }).decode(read.data);
      } catch {
        refuse(dir, `${shown} is not UTF-8 text`);
      }
      if (ext === 'json') {
        try {
          JSON.parse(body);
        } catch (cause) {
          refuse(dir, `${shown} is not JSON: ${(cause as Error).message}`, ['Fix the file, or name it .txt to serve it as it is.']);
        }
      }
      if (status === 204 && body !== '') refuse(dir, `${shown} is a 204 answer, which has no body, but the file is not empty`, ['Empty the file, or give it another status.']);
      routes.push({ ...route, body });
      if (routes.length > FIXTURE_LIMITS.routes) refuse(dir, `it holds more than ${FIXTURE_LIMITS.routes} fixtures`);
    }
  };
  walk(dir, []);
  return routes;
}
