// Child process of the subscription benchmark: one gateway instance, configured by env, reporting its URL over IPC.
import 'reflect-metadata';
import { createGateway } from '../src/app';
import { parseConfig } from '../src/platform/config';

/**
 * BENCH_FLOOR=1: no gateway, a bare `ws` server that sends one pre-serialized message to every socket
 * on request. Its latency is what this machine needs just to deliver N WebSocket frames (the floor).
 */
async function floor(): Promise<void> {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as { port: number }).port;
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}` });
  process.on('message', (msg: { type?: string; message?: string }) => {
    if (msg?.type === 'send') for (const c of wss.clients) c.send(msg.message!);
    if (msg?.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    if (msg?.type === 'close') wss.close(() => process.exit(0));
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
