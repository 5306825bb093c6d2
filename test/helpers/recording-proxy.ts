// An HTTP hop between the gateway and its upstream that records every request as it crossed the wire, and can
// misbehave on purpose (a Stripe header added, a response lost after the upstream acted, an answer that never comes).
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireRequest } from './openapi-requests';

export interface RecordingProxy {
  url: string;
  requests: WireRequest[];
  close(): Promise<void>;
}

/**
 * What the hop does with one request: pass it on (`forward`, the default), pass it on and then reset the client's
 * connection instead of answering (`lose-response`: the upstream acted, the client never hears), or hold it
 * unanswered until the proxy closes (`hang`), or answer it itself.
 */
export type ProxyAction =
  | 'forward'
  | 'lose-response'
  | 'hang'
  /** Answer this instead of asking the upstream. */
  | { status: number; body: unknown };

export interface RecordingProxyOptions {
  /** Headers to add to an upstream response with this status (e.g. `Stripe-Should-Retry` on a 5xx). */
  headers?: (status: number) => Record<string, string>;
  /** Chooses the action for each request (already recorded in `requests`). @default always 'forward' */
  action?: (request: WireRequest) => ProxyAction;
}

export function startRecordingProxy(
  target: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const t = new URL(target);
  const requests: WireRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
      const wire: WireRequest = {
        method: req.method ?? 'GET',
        path,
        query,
        body: body.toString('utf8'),
        contentType: String(req.headers['content-type'] ?? ''),
      };
      requests.push(wire);
      const action = options.action?.(wire) ?? 'forward';
      if (action === 'hang') return;
      if (typeof action === 'object') {
        res.writeHead(action.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(action.body));
        return;
      }
      const up = httpRequest(
        { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          if (action === 'lose-response') {
            r.resume();
            r.once('end', () => req.socket.destroy());
            return;
          }
          const status = r.statusCode ?? 502;
          res.writeHead(status, { ...r.headers, ...options.headers?.(status) });
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections(); // held (`hang`) requests too
          }),
      }),
    ),
  );
}
