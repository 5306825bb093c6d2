// Child process of the throughput benchmark: one server (the gateway, a bare Apollo Server, Mercurius + graphql-jit,
// or a bare node:http server) on a free port, reporting its URL and RSS over IPC. The others answer the same query
// from memory; node:http sends the gateway's recorded answer bytes whatever the request (a floor, not a peer).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify from 'fastify';
import { buildSchema, type GraphQLSchema } from 'graphql';
import mercurius from 'mercurius';
import { createGateway } from '../src/app';
import { parseConfig } from '../src/platform/config';

type Kind = 'gateway' | 'apollo' | 'mercurius' | 'node-http';

/** The contract schema with `customer` answering a fixed dashboard object (no Stripe, no auth). */
function inMemorySchema(dataFile: string): GraphQLSchema {
  const schema = buildSchema(
    readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'),
  );
  const data = JSON.parse(readFileSync(dataFile, 'utf8')) as { customer: unknown };
  schema.getQueryType()!.getFields().customer.resolve = () => data.customer;
  return schema;
}

/** Reads each request body whole and parses it (as any server must), then answers the recorded bytes. */
async function nodeHttpFloor(dataFile: string): Promise<{ url: string; close: () => Promise<void> }> {
  const answer = Buffer.from(`${JSON.stringify(JSON.parse(readFileSync(dataFile, 'utf8')))}\n`);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': answer.length,
      });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function start(kind: Kind): Promise<{ url: string; close: () => Promise<void> }> {
  if (kind === 'gateway') {
    const gateway = await createGateway(parseConfig(process.env));
    const base = await gateway.listen();
    return { url: `${base}/graphql`, close: () => gateway.close() };
  }
  if (kind === 'node-http') return nodeHttpFloor(process.env.BENCH_DATA_FILE!);
  const schema = inMemorySchema(process.env.BENCH_DATA_FILE!);
  const app = Fastify({ logger: false });
  if (kind === 'apollo') {
    const apollo = new ApolloServer({ schema, plugins: [fastifyApolloDrainPlugin(app)] });
    await apollo.start();
    app.route({ url: '/graphql', method: ['GET', 'POST', 'OPTIONS'], handler: fastifyApolloHandler(apollo) });
  } else {
    await app.register(mercurius, { schema, jit: 1, path: '/graphql' });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => app.close() };
}

start(process.argv[2] as Kind).then(
  (server) => {
    process.send?.({ type: 'listening', url: server.url });
    process.on('message', (msg: { type?: string }) => {
      if (msg?.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
      if (msg?.type === 'cpu') {
        const { user, system } = process.cpuUsage();
        process.send?.({ type: 'cpu', cpu: user + system });
      }
      if (msg?.type === 'close') void server.close().then(() => process.exit(0));
    });
  },
  (e: unknown) => {
    console.error('bench server failed:', e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
