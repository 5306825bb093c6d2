// Child process of the subscription benchmark: one gateway instance, configured by env, reporting its URL over IPC.
import 'reflect-metadata';
import { createGateway } from '../src/app';
import { parseConfig } from '../src/config';

async function main(): Promise<void> {
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
