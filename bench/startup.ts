/**
 * Start-up of `sfjwt serve` to its first answer: spawn `node bin/sfjwt.js serve --port P` (P a block
 * of free ports on 127.0.0.1), poll GET /__sfjwt/health every 5 ms until it answers 200, then stop
 * it. Five starts; the median is quoted, with the time to the `--json` line for reference. Part of
 * `npm run bench`; alone: npx tsx bench/startup.ts [--http]
 */
import { existsSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { firstJsonLine, guardChildren, spawnTracked, stopAll, stopChild } from './lib/children.ts';
import { isMain, median } from './lib/format.ts';
import { ROOT, serveArgs } from './lib/servers.ts';

/** sfjwt's state folder as lib/state-folder.ts finds it, read here so the driver loads no checkout's code. */
function defaultStateDir(): string {
  return resolve(process.env['SFJWT_HOME'] ?? '.sfjwt');
}

export interface StartupTimes {
  transport: 'https' | 'http';
  /** Milliseconds from spawn to the first 200 from /__sfjwt/health, per start. */
  firstAnswerMs: number[];
  /** Milliseconds from spawn to the `--json` line, per start. */
  jsonLineMs: number[];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A base port with `count` free ports after it, tried at most 50 times. */
async function freeBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 30_000 + Math.floor(Math.random() * 25_000);
    let ok = true;
    for (let p = base; p < base + count && ok; p += 1) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error('no block of free ports found');
}

function healthOnce(url: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const done = (status: number) => resolve(status);
    const req = url.startsWith('https:')
      ? httpsGet(url, { agent: false, ...(ca === undefined ? { rejectUnauthorized: false } : { ca }), timeout: 1_000 }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        })
      : httpGet(url, { agent: false, timeout: 1_000 }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
    req.on('error', () => done(0));
    req.on('timeout', () => req.destroy());
  });
}

/** `bin`: another checkout's bin/sfjwt.js; `cwd`: the folder it starts in (its `.sfjwt/` is there). */
export async function measureStartup(runs = 5, http = false, bin?: string, cwd?: string): Promise<StartupTimes> {
  const caFile = join(cwd === undefined ? defaultStateDir() : join(cwd, '.sfjwt'), 'tls', 'ca.crt');
  const ca = existsSync(caFile) ? readFileSync(caFile, 'utf8') : undefined;
  const out: StartupTimes = { transport: http ? 'http' : 'https', firstAnswerMs: [], jsonLineMs: [] };
  for (let i = 0; i < runs; i += 1) {
    // Every logical host takes a port after the login host's; 32 leaves room for the default world's.
    const port = await freeBlock(32);
    const url = `${http ? 'http' : 'https'}://127.0.0.1:${port}/__sfjwt/health`;
    const t0 = performance.now();
    const child = spawnTracked(process.execPath, serveArgs({ http, args: ['--port', String(port)], ...(bin === undefined ? {} : { bin }) }), { cwd: cwd ?? ROOT });
    try {
      const line = firstJsonLine(child).then(() => performance.now() - t0);
      line.catch(() => undefined);
      const deadline = t0 + 30_000;
      let answered = NaN;
      while (performance.now() < deadline) {
        if ((await healthOnce(url, ca)) === 200) {
          answered = performance.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      if (Number.isNaN(answered)) throw new Error('serve did not answer /__sfjwt/health within 30 s');
      out.firstAnswerMs.push(answered);
      out.jsonLineMs.push(await line);
    } finally {
      await stopChild(child);
    }
  }
  return out;
}

if (isMain(import.meta.url)) {
  guardChildren();
  try {
    const r = await measureStartup(5, process.argv.includes('--http'));
    process.stdout.write(
      `serve (${r.transport}) to first answer: median ${median(r.firstAnswerMs).toFixed(0)} ms of ${r.firstAnswerMs.map((x) => x.toFixed(0)).join(', ')}; JSON line: median ${median(r.jsonLineMs).toFixed(0)} ms\n`,
    );
  } finally {
    await stopAll();
  }
}
