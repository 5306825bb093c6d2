// startReceiver(): a real HTTP server standing in for a partner's webhook endpoint, with scripted answers; docsVerifier():
// the Node verifier of docs/partner-webhooks.md, as partners copy it.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered. */
  status: number;
  event: { id: string; type: string; createdAt: string; partnerId: string; data: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Decides each answer's status (default 200). */
  answer: (req: { body: string; event: ReceivedWebhook['event']; count: number }) => number;
  /** Resolves with the next request that matches (already received ones included). */
  next(match?: (r: ReceivedWebhook) => boolean): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const waiters: { match: (r: ReceivedWebhook) => boolean; resolve: (r: ReceivedWebhook) => void }[] = [];
  const consumed = new Set<ReceivedWebhook>();
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    next(match = () => true) {
      const found = receiver.received.find((r) => !consumed.has(r) && match(r));
      if (found) {
        consumed.add(found);
        return Promise.resolve(found);
      }
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const event = JSON.parse(body) as ReceivedWebhook['event'];
      const count = receiver.received.filter((r) => r.event.id === event.id).length + 1;
      const status = receiver.answer({ body, event, count });
      const record: ReceivedWebhook = { headers: req.headers, body, status, event };
      receiver.received.push(record);
      res.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(10_000));
      const i = waiters.findIndex((w) => w.match(record));
      if (i >= 0) {
        consumed.add(record);
        waiters.splice(i, 1)[0].resolve(record);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  receiver.url = `http://127.0.0.1:${address.port}/hooks`;
  return receiver;
}

/** What the docs' verifier returns: the event when the delivery is signed with `secret`, else null. */
export type DocsVerifier = (
  rawBody: string,
  headers: http.IncomingHttpHeaders | Record<string, string>,
  secret: string,
) => ReceivedWebhook['event'] | null;

/**
 * docs/partner-webhooks.md's Node verifier (the block after `<!-- standard-webhooks-verifier -->`), loaded as written:
 * the test proves the snippet partners copy works.
 */
export function docsVerifier(): DocsVerifier {
  const page = readFileSync(path.join(__dirname, '../../docs/partner-webhooks.md'), 'utf8');
  const marker = page.indexOf('<!-- standard-webhooks-verifier -->');
  const block = /```js\n([\s\S]*?)```/.exec(page.slice(marker));
  if (marker < 0 || !block)
    throw new Error('docs/partner-webhooks.md has no standard-webhooks-verifier snippet');
  return new Function('require', `${block[1]}\nreturn verifyPartnerWebhook;`)(require) as DocsVerifier;
}
