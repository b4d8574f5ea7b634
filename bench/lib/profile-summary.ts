/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went, by self time: each
 * sampled frame is put in one group (idle, GC, native outside JS, socket writes, TLS, RS256 verify,
 * other node:crypto, node's HTTP and streams, other node internals, each dependency, the checkout's
 * own code, other V8 built-ins), and the top functions and files are listed too. The groups are
 * decided by the frame's function name and script URL only, so they read the same for a tree run
 * from TypeScript sources (through a transpiler) and one run from a compiled dist/. A window (ms
 * from the profile's start) keeps only the samples taken under load, leaving start-up out.
 */
import { relative, sep } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
export interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Of all sampled time. */
  share: number;
  /** Of the time the process was not idle. */
  busyShare: number;
}

export interface ProfileSummary {
  /** The part of the profile summarised, ms from its start. */
  window: { fromMs: number; toMs: number };
  sampledMs: number;
  idleMs: number;
  groups: Share[];
  /** The checkout's own code by folder (first two path segments; three under dist/). */
  ownFolders: Share[];
  functions: Share[];
  files: Share[];
}

export const OWN = "the mock's own code (the checkout's sources or dist)";

// Native callbacks node exposes to JS: a sample inside one is attributed to a frame of that name
// with no script URL.
const SOCKET_WRITE = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString', 'writeUcs2String', 'shutdown']);
const SOCKET_READ = new Set(['onStreamRead', 'readStart', 'readStop']);
const VERIFY = new Set(['verifyOneShot', 'Verify', 'verify']);
const SIGN = new Set(['signOneShot', 'Sign', 'sign']);

/** The group of one frame. `root` is the checkout's folder (its own code is under it). */
export function groupOf(functionName: string, url: string, root: string): string {
  if (functionName === '(idle)') return 'idle (waiting for the next request)';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'native outside JS (V8, libuv, syscalls)';
  if (functionName === '(root)') return 'native outside JS (V8, libuv, syscalls)';
  const path = url.replace(/^file:\/\//, '');
  if (url === '') {
    if (SOCKET_WRITE.has(functionName)) return 'socket write';
    if (SOCKET_READ.has(functionName)) return 'socket read';
    if (VERIFY.has(functionName)) return 'crypto: RS256 verify';
    if (SIGN.has(functionName)) return 'crypto: sign';
    if (/^(SSL|TLS|encOut|clearIn|clearOut|encIn|setSession|getSession|certCb)/.test(functionName)) return 'TLS';
    return 'V8 built-ins and other native';
  }
  if (/^node:(_tls|tls|internal\/tls)/.test(url)) return 'TLS';
  if (url.startsWith('node:internal/crypto/sig')) return 'crypto: RS256 verify';
  if (/^node:(crypto|internal\/crypto)/.test(url)) return 'crypto: other (keys, hashes, random)';
  if (url === 'node:internal/stream_base_commons') return 'socket write';
  if (/^node:(_http_|http$|https$|internal\/http|net$|internal\/net|internal\/streams|stream$|events$|internal\/event_target|internal\/stream_base)/.test(url))
    return 'node: HTTP, net, streams, events';
  if (/^node:internal\/(modules|deps\/cjs-module-lexer|vm)/.test(url)) return 'module loading';
  if (url.startsWith('node:')) return `node: other (${url.slice(5).replace(/^internal\//, '')})`;
  const nm = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) {
    const parts = path.slice(nm + 14).split(sep);
    const pkg = parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '?');
    return pkg === 'tsx' || pkg === 'esbuild' ? 'module loading' : `dependency: ${pkg}`;
  }
  if (path.startsWith(root)) return OWN;
  return 'other scripts';
}

function shares(m: Map<string, number>, total: number, busy: number, k: number): Share[] {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / total, busyShare: busy > 0 ? us / busy : NaN }));
}

export function summarise(profile: CpuProfile, root: string, window: { fromMs: number; toMs: number } = { fromMs: 0, toMs: Infinity }, top = 25): ProfileSummary {
  const rootDir = root.endsWith(sep) ? root : `${root}${sep}`;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at / 1000 >= window.fromMs && at / 1000 <= window.toMs) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const groups = new Map<string, number>();
  const own = new Map<string, number>();
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const g = groupOf(functionName, url, rootDir);
    if (g.startsWith('idle')) idle += us;
    groups.set(g, (groups.get(g) ?? 0) + us);
    const path = url.replace(/^file:\/\//, '');
    const where = url === '' ? '(native)' : url.startsWith('node:') ? url : path.startsWith(rootDir) ? relative(rootDir, path) : path;
    if (g === OWN) {
      // dist/mock-server/core reads like mock-server/core does in a tree run from its sources.
      const segments = where.split(sep);
      const folder = segments.slice(0, segments[0] === 'dist' ? 3 : 2).join('/');
      own.set(folder, (own.get(folder) ?? 0) + us);
    }
    const key = `${functionName || '(anonymous)'}  ${where}${url === '' ? '' : `:${lineNumber + 1}`}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    files.set(where, (files.get(where) ?? 0) + us);
  }
  const busy = total - idle;
  return {
    window,
    sampledMs: total / 1000,
    idleMs: idle / 1000,
    groups: shares(groups, total, busy, 100),
    ownFolders: shares(own, total, busy, 12),
    functions: shares(fns, total, busy, top),
    files: shares(files, total, busy, 15),
  };
}
