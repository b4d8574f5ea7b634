/**
 * The Java lane of `sfjwt exec`: the JAVA_TOOL_OPTIONS an unmodified Java program is started with, so
 * that java.net.http.HttpClient (its default proxy selector) and HttpsURLConnection send HTTPS through
 * exec's proxy (https.proxyHost, https.proxyPort; plain HTTP too, http.proxyHost, where the proxy
 * refuses it) and trust the mock's CA, and only it (javax.net.ssl.trustStore). Loopback is reached
 * directly without a word: Java's default http.nonProxyHosts, which HTTPS uses too, is
 * localhost|127.*|[::1]. The trust store is a JKS file written by sfjwt's own JKS writer
 * (lib/pki/jks.ts: no keytool, no JVM) once per CA and kept beside it in the state folder's tls/,
 * named by the CA certificate's SHA-256 fingerprint: a new CA gets a new store. It is written under a
 * temporary name and then renamed, so a concurrent exec sees the whole file or none.
 */
import { X509Certificate } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJks } from '../../lib/pki/jks.ts';
import { PUBLIC_MODE, replaceFile } from '../../lib/write-new-file.ts';

/** The store holds one public certificate: its password guards nothing, JKS only asks for one. */
const TRUST_STORE_PASSWORD = 'sfjwt-public';

export interface JavaLaneInput {
  /** The mock's CA certificate (PEM), the one the command is given. */
  caFile: string;
  /** The state folder, where the trust store is kept. */
  stateDir: string;
  /** exec's proxy, http://127.0.0.1:PORT. */
  proxyUrl: string;
  /** The command's environment: its JAVA_TOOL_OPTIONS is kept first. */
  env: NodeJS.ProcessEnv;
}

/** JAVA_TOOL_OPTIONS for the command (the user's own first). */
export function javaToolOptions(input: JavaLaneInput): string {
  const store = trustStore(input);
  const { hostname, port } = new URL(input.proxyUrl);
  const options = [
    `-Dhttps.proxyHost=${hostname}`,
    `-Dhttps.proxyPort=${port}`,
    `-Dhttp.proxyHost=${hostname}`,
    `-Dhttp.proxyPort=${port}`,
    quoted(`-Djavax.net.ssl.trustStore=${store}`),
    '-Djavax.net.ssl.trustStoreType=JKS',
    `-Djavax.net.ssl.trustStorePassword=${TRUST_STORE_PASSWORD}`,
  ].join(' ');
  const own = input.env['JAVA_TOOL_OPTIONS']?.trim() ?? '';
  return own === '' ? options : `${own} ${options}`;
}

/** The trust store for the CA, written when it is not there yet. */
function trustStore({ caFile, stateDir }: JavaLaneInput): string {
  const ca = new X509Certificate(readFileSync(caFile));
  const fingerprint = ca.fingerprint256.replaceAll(':', '').toLowerCase();
  // Beside the CA, in the state folder's tls/.
  const dir = join(stateDir, 'tls');
  const store = join(dir, `java-truststore-${fingerprint}.jks`);
  if (isFile(store)) return store;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  replaceFile(store, writeJks([{ kind: 'trusted-cert', alias: 'sfjwt-ca', certificateDer: ca.raw }], TRUST_STORE_PASSWORD), PUBLIC_MODE);
  return store;
}

/** Whether a regular file is there (a link or anything else in its place is replaced). */
function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** A JAVA_TOOL_OPTIONS word: quoted when it holds a space (the JVM splits the variable at white space, and honours quotes). */
function quoted(option: string): string {
  return /\s/.test(option) ? `"${option}"` : option;
}
