// Child process of the subscription benchmark: one gateway instance, configured by env, reporting its URL over IPC.
import 'reflect-metadata';
import { createGateway } from '../src/app';
import { parseConfig } from '../src/platform/config';

/**
 * BENCH_FLOOR=1: no gateway, a bare `ws` server. `POST /send` answers 200, then sends the request body as one
 * text frame to every socket. Its latency is what this machine needs to take an HTTP request in and deliver N
 * WebSocket frames (the floor), the path a webhook takes into the gateway without any of the gateway's work.
 */
async function floor(): Promise<void> {
  const { WebSocketServer } = await import('ws');
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const message = Buffer.concat(chunks);
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      for (const c of wss.clients) c.send(message, { binary: false });
    });
  });
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}` });
  process.on('message', (msg: { type?: string }) => {
    if (msg?.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    if (msg?.type === 'close') wss.close(() => server.close(() => process.exit(0)));
  });
}

async function main(): Promise<void> {
  if (process.env.BENCH_FLOOR === '1') return floor();
  const gateway = await createGateway(parseConfig(process.env));
  const url = await gateway.listen();
  process.send?.({ type: 'listening', url });
  process.on('message', (msg: { type?: string }) => {
    if (msg?.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    if (msg?.type === 'close') void gateway.close().then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error('bench gateway failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
