/**
 * The HTTPS proxy `sfjwt exec` points every other language at (HTTPS_PROXY and friends, which curl,
 * Python requests and most HTTP clients read): a CONNECT to one of the mock's host names on port 443
 * is tunnelled to the mock's port for that host, so the client's TLS meets the mock's certificate for
 * that name (trusted through CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE, SSL_CERT_FILE); a CONNECT to a
 * loopback address goes through as asked; anything else, and any plain-HTTP request through the proxy,
 * is refused with 403 and reported, so nothing leaves loopback. Listens on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { isLoopback, type Refusal } from './loopback.ts';

export interface ExecProxy {
  url: string;
  refused: Refusal[];
  close(): Promise<void>;
}

/** Starts the proxy; `routes` maps each of the mock's host names to its port on 127.0.0.1. */
export async function startExecProxy(routes: Readonly<Record<string, number>>): Promise<ExecProxy> {
  const refused: Refusal[] = [];
  // Tunnels are not the HTTP server's connections any more: they are closed here when the proxy stops.
  const tunnels = new Set<import('node:stream').Duplex>();
  const server: Server = createServer((request, response) => {
    // A plain-HTTP request through the proxy: Salesforce is HTTPS only, and nothing else may be reached.
    let host = 'unknown';
    let port = 80;
    try {
      const target = new URL(request.url ?? '');
      host = target.hostname;
      port = Number(target.port || 80);
    } catch {
      // Not an absolute URL: refused all the same.
    }
    refused.push({ kind: 'connect', host, port });
    response.writeHead(403, { 'Content-Type': 'text/plain', Connection: 'close' }).end('sfjwt exec: nothing may leave loopback\n');
  });
  server.on('connect', (request, client, head) => {
    const [name = '', portText = '443'] = (request.url ?? '').replace(/^\[|\](?=:)/g, '').split(/:(?=\d+$)/);
    const host = name.toLowerCase();
    const port = Number(portText);
    const routed = port === 443 ? routes[host] : undefined;
    if (routed === undefined && !isLoopback(host)) {
      refused.push({ kind: 'connect', host, port });
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tunnels.add(client);
    client.once('close', () => tunnels.delete(client));
    const upstream = connect(routed ?? port, routed === undefined ? host : '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.once('close', () => tunnels.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
