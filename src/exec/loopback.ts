/**
 * What `sfjwt exec` lets through as staying on this machine, for its preload and its proxy alike:
 * loopback addresses (127.0.0.0/8, ::1, their IPv4-mapped form) and the names that mean them. Also
 * the shape of a refusal both write down. Plain node: imports only node: modules.
 */
import { isIPv4, isIPv6 } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

/** A look-up or connection that would have left loopback, refused. */
export interface Refusal {
  kind: 'lookup' | 'connect';
  host: string;
  port?: number;
}
