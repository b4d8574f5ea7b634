/**
 * A `fetch` that trusts an extra CA (the mock's local CA) without touching the process-wide trust
 * store, so one process can talk to the HTTPS mock and nothing else changes. Built on undici, the
 * library behind Node's own fetch.
 */
import { Agent, fetch as undiciFetch } from 'undici';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export function fetchTrusting(caPem: string | null): FetchLike {
  if (caPem === null) return (input, init) => fetch(input, init);
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return (input, init) => undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}
