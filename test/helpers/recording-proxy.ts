// An HTTP hop between the gateway and its upstream that records every request as it crossed the wire.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireRequest } from './openapi-requests';

export interface RecordingProxy {
  url: string;
  requests: WireRequest[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Headers to add to an upstream response with this status (e.g. `Stripe-Should-Retry` on a 5xx). */
  headers?: (status: number) => Record<string, string>;
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
      requests.push({
        method: req.method ?? 'GET',
        path,
        query,
        body: body.toString('utf8'),
        contentType: String(req.headers['content-type'] ?? ''),
      });
      const up = httpRequest(
        { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
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
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}
