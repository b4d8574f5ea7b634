/**
 * The TLS material of the HTTPS ceiling and peers: this checkout's local CA and its RSA-2048 leaf
 * for 127.0.0.1 (the same kind of certificate the mock serves), from this checkout's state folder.
 * Imported only when a server is started with --https, so an HTTP server loads no project code.
 */

import { defaultStateDir } from '../../lib/state-folder.ts';
import { serverTls } from '../../mock-server/adapters/local-ca.ts';

export function serverTlsHere(): ReturnType<typeof serverTls> {
  return serverTls(defaultStateDir());
}
