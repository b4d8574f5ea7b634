/**
 * A `fetch` that trusts an extra CA (the mock's local CA) without touching the process-wide trust
 * store, so one process can talk to the HTTPS mock and nothing else changes. Built on undici, the
 * library behind Node's own fetch; optionally with a timeout for the connection and for the answer.
 * When the server's certificate is refused, the error's cause also carries the certificate the server
 * presented, read in a second TLS handshake that sends nothing and trusts nothing, so that a diagnosis
 * can name its issuer: the mock's CA, a company's, or a TLS-inspecting proxy's.
 */
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** A certificate a server presented, its names as `CN=…, O=…`. */
export interface PresentedCertificate {
  subject: string;
  issuer: string;
  /** The subjects of the certificates the server sent above the first one, up to its root. */
  chain: string[];
  /** Issued by itself: no CA vouches for it. */
  selfSigned: boolean;
  /** The names it covers (`DNS:login.salesforce.com, IP Address:127.0.0.1`), when it has any. */
  altNames?: string;
  /** Its dates as Node prints them (`Mar  1 12:00:00 2026 GMT`). */
  validFrom: string;
  validTo: string;
}

export interface FetchOptions {
  /** Milliseconds to wait for the connection and for the answer (undici's defaults otherwise: 10 s and 300 s). */
  timeoutMs?: number | undefined;
}

export function fetchTrusting(caPem: string | null, options: FetchOptions = {}): FetchLike {
  const timeout = options.timeoutMs;
  let send: FetchLike = (input, init) => fetch(input, init);
  if (caPem !== null || timeout !== undefined) {
    const dispatcher = new Agent({
      connect: { ...(caPem === null ? {} : { ca: caPem }), ...(timeout === undefined ? {} : { timeout }) },
      ...(timeout === undefined ? {} : { headersTimeout: timeout, bodyTimeout: timeout }),
    });
    send = (input, init) => undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
  }
  return async (input, init) => {
    try {
      return await send(input, init);
    } catch (error) {
      await notePresentedCertificate(error, input, Math.min(timeout ?? PEEK_TIMEOUT_MS, PEEK_TIMEOUT_MS));
      throw error;
    }
  };
}

const PEEK_TIMEOUT_MS = 3000;

/** The codes of a certificate Node refused for its chain or dates (a name mismatch carries its certificate already). */
const REFUSED_CERTIFICATE = /^(UNABLE_TO_|SELF_SIGNED_CERT_IN_CHAIN$|DEPTH_ZERO_SELF_SIGNED_CERT$|CERT_|INVALID_CA$)/;

/** `CN=…, O=…` from Node's parsed name (a field given twice is joined with "+"). */
function nameOf(name: PeerCertificate['subject'] | undefined): string {
  return Object.entries(name ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

/** A certificate as Node parses it, with the chain the server sent. */
export function describeCertificate(cert: PeerCertificate | DetailedPeerCertificate): PresentedCertificate {
  const chain: string[] = [];
  let current = cert as Partial<DetailedPeerCertificate>;
  for (let depth = 0; depth < 10; depth++) {
    const up = current.issuerCertificate;
    if (up === undefined || up === null || up === current || up.fingerprint256 === current.fingerprint256) break;
    chain.push(nameOf(up.subject));
    current = up;
  }
  const subject = nameOf(cert.subject);
  const issuer = nameOf(cert.issuer);
  const altNames = cert.subjectaltname === undefined || cert.subjectaltname === '' ? {} : { altNames: cert.subjectaltname };
  return { subject, issuer, chain, selfSigned: subject === issuer, ...altNames, validFrom: cert.valid_from, validTo: cert.valid_to };
}

/** After a refused certificate: the certificate the server presents, on the error's cause as `presentedCertificate`. */
async function notePresentedCertificate(error: unknown, input: string | URL, timeoutMs: number): Promise<void> {
  const cause = (error as { cause?: { code?: unknown; presentedCertificate?: PresentedCertificate } } | null)?.cause;
  if (cause === undefined || cause === null || typeof cause !== 'object' || typeof cause.code !== 'string' || !REFUSED_CERTIFICATE.test(cause.code)) return;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return;
  }
  if (url.protocol !== 'https:') return;
  const presented = await presentedCertificate(url, timeoutMs);
  if (presented !== undefined) cause.presentedCertificate = presented;
}

/**
 * The certificate a server presents at `url`'s host and port: a TLS handshake that accepts any
 * certificate, reads it and closes before a byte of HTTP is sent. Undefined when there is none to read.
 */
function presentedCertificate(url: URL, timeoutMs: number): Promise<PresentedCertificate | undefined> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({ host, port: Number(url.port === '' ? 443 : url.port), ...(isIP(host) === 0 ? { servername: host } : {}), rejectUnauthorized: false, timeout: timeoutMs });
    const done = (found?: PresentedCertificate) => {
      socket.destroy();
      resolve(found);
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(true);
      done(cert === null || Object.keys(cert).length === 0 ? undefined : describeCertificate(cert));
    });
    socket.once('error', () => done());
    socket.once('timeout', () => done());
  });
}
