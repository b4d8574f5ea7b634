/**
 * The servers a benchmark drives, each in its own process on 127.0.0.1: the mock as `node bin/sfjwt.js
 * serve --json --knob loginRatePerHour=null` (its JSON line gives URLs, CA, consumer key, key file),
 * the bare node:http ceiling (bench/servers/bare.ts) and the peers, oauth2-mock-server 7.2.1
 * (bench/servers/peer.ts) and 9.3 (bench/servers/peer9.ts, whose jwt-bearer grant issues a token).
 * Each comes back with its pid (for /proc memory) and a stop function.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstJsonLine, type Memory, memoryOf, spawnTracked, stopChild } from './children.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SFJWT = fileURLToPath(new URL('../../bin/sfjwt.js', import.meta.url));

/** What `serve --json` prints (the fields the benchmarks use). */
export interface Served {
  login: string;
  test: string;
  hosts: Record<string, string>;
  admin: string;
  ca: string | null;
  consumerKey: string | null;
  privateKeyFile: string | null;
  username: string | null;
}

export interface Running<T> {
  info: T;
  pid: number;
  child: ChildProcess;
  memory(): Memory;
  stop(): Promise<void>;
}

async function started<T>(child: ChildProcess, timeoutMs = 120_000): Promise<Running<T>> {
  try {
    const info = await firstJsonLine<T>(child, timeoutMs);
    const pid = child.pid ?? -1;
    return { info, pid, child, memory: () => memoryOf(pid), stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

export interface ServeOptions {
  http?: boolean;
  world?: string;
  /** Extra arguments for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  args?: string[];
  /** Another checkout's bin/sfjwt.js (bench/compare.ts); this one by default. */
  bin?: string;
  /** The folder serve starts in (its `.sfjwt/` state folder is there); this checkout by default. */
  cwd?: string;
}

export function serveArgs(o: ServeOptions = {}): string[] {
  return [
    ...(o.nodeArgs ?? []),
    o.bin ?? SFJWT,
    'serve',
    '--json',
    '--knob',
    'loginRatePerHour=null',
    ...(o.http === true ? ['--http'] : []),
    ...(o.world === undefined ? [] : ['--world', o.world]),
    // Free ports unless the caller picks a block: serve's default block (8443 on) is one per machine, and trees run side by side.
    ...(o.args?.includes('--port') === true ? [] : ['--port', '0']),
    ...(o.args ?? []),
  ];
}

export function startServe(o: ServeOptions = {}): Promise<Running<Served>> {
  return started<Served>(spawnTracked(process.execPath, serveArgs(o), { cwd: o.cwd ?? ROOT }));
}

export interface Simple {
  url: string;
  ca: string | null;
}

export function startBare(https: boolean): Promise<Running<Simple>> {
  return started<Simple>(spawnTracked(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../servers/bare.ts', import.meta.url)), ...(https ? ['--https'] : [])], { cwd: ROOT }));
}

export function startPeer(https: boolean): Promise<Running<Simple>> {
  return started<Simple>(spawnTracked(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../servers/peer.ts', import.meta.url)), ...(https ? ['--https'] : [])], { cwd: ROOT }));
}

/** oauth2-mock-server 9.3 (the package alias oauth2-mock-server-9): a jwt-bearer grant that issues a token. */
export function startPeer9(https: boolean): Promise<Running<Simple>> {
  return started<Simple>(spawnTracked(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../servers/peer9.ts', import.meta.url)), ...(https ? ['--https'] : [])], { cwd: ROOT }));
}
