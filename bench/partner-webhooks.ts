// Partner webhook benchmark: Stripe webhook → partner endpoint latency at a steady rate, and sustained events/s.
// `node dist/bench/partner-webhooks.js` runs it alone (and rewrites its section of bench/RESULTS.md); `npm run bench` includes it.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { createSandbox, type Sandbox } from '../src/sandbox/server';
import { FIVE_ACCOUNTS } from './suite';
import { BENCH_PARTNER_SECRETS_KEY, startGatewayProcess, startRedis } from './subscriptions';
import { percentile } from './percentile';

const PARTNER = { id: 'bench', key: 'bench_partner_key_0123456789' };
const WEBHOOK_SECRET = 'whsec_bench_partner_webhooks_0123456789';
const ENDPOINTS = 10;
/** Customers of five linked accounts each: the latency phase's events for one account come 200 ms apart. */
const CUSTOMERS = 4;
const RATE = 100; // events per second in the latency phase
const LATENCY_EVENTS = Number(process.env.BENCH_PWH_LATENCY_EVENTS ?? 1_000);
const THROUGHPUT_EVENTS = Number(process.env.BENCH_PWH_THROUGHPUT_EVENTS ?? 2_000);
const signer = new Stripe('sk_test_signer_only', { telemetry: false });
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const round = (n: number) => Math.round(n * 10) / 10;
async function graphql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Receivers answering 200 at once; each arrival is timed by the partner event's `createdAt` (unique per event). */
async function startReceivers(onArrival: (createdAt: string, at: number) => void) {
  return Promise.all(
    Array.from({ length: ENDPOINTS }, async () => {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const at = performance.now();
          res.writeHead(200).end();
          onArrival((JSON.parse(Buffer.concat(chunks).toString()) as { createdAt: string }).createdAt, at);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks` };
    }),
  );
}

async function linkedAccounts(url: string, sandbox: Sandbox): Promise<Stripe.FinancialConnections.Account[]> {
  const c = await graphql<{ createCustomer: { customer: { id: string } } }>(
    url,
    'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
    { i: { email: 'bench@example.com' } },
  );
  const s = await graphql<{ createFinancialConnectionsSession: { session: { id: string } } }>(
    url,
    'mutation($i: CreateFinancialConnectionsSessionInput!) { createFinancialConnectionsSession(input: $i) { session { id } } }',
    { i: { customerId: c.createCustomer.customer.id, permissions: ['BALANCES'] } },
  );
  const done = sandbox.completeSession(s.createFinancialConnectionsSession.session.id, {
    accounts: FIVE_ACCOUNTS,
  });
  return done.accounts as unknown as Stripe.FinancialConnections.Account[];
}

export async function runPartnerWebhookBench(): Promise<{ markdown: string }> {
  const redis = await startRedis();
  const sandbox = await createSandbox({ port: 0 });
  const sandboxUrl = await sandbox.listen();
  const sent = new Map<string, { at: number; account: string; created: number }>(); // by partner event createdAt
  const arrived = new Map<string, number>(); // partner event createdAt → deliveries that arrived
  const latencies: number[] = [];
  let arrivals = 0;
  let onArrivalCount: () => void = () => undefined;
  const receivers = await startReceivers((createdAt, at) => {
    const s = sent.get(createdAt);
    if (s !== undefined) latencies.push(at - s.at);
    arrived.set(createdAt, (arrived.get(createdAt) ?? 0) + 1);
    arrivals += 1;
    onArrivalCount();
  });
  const gw = await startGatewayProcess({
    NODE_ENV: 'development', // production requires https endpoint URLs; the receivers are plain http
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    STRIPE_API_BASE: sandboxUrl,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    REDIS_URL: redis.url,
    // Endpoint secrets sealed at rest, as every production deployment with Redis has them.
    PARTNER_SECRETS_KEY: BENCH_PARTNER_SECRETS_KEY,
    PARTNER_KEYS: `${PARTNER.id}:${PARTNER.key}`,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000000',
    STRIPE_MAX_RPS: '1000',
    WEBHOOK_CONCURRENCY: '128',
  });
  try {
    const accounts: Stripe.FinancialConnections.Account[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) accounts.push(...(await linkedAccounts(gw.url, sandbox)));
    for (const r of receivers) {
      await graphql(
        gw.url,
        'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }',
        {
          i: { url: r.url, events: ['financial_account.refreshed'] },
        },
      );
    }
    let created = Math.floor(Date.now() / 1000);
    /** One signed refreshed_balance webhook; a distinct `created` per event names it end to end. */
    const post = async (account: Stripe.FinancialConnections.Account) => {
      created += 1;
      const at = created;
      const payload = JSON.stringify({
        id: `evt_bench_${at}`,
        object: 'event',
        api_version: '2026-07-29.dahlia',
        created: at,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'financial_connections.account.refreshed_balance',
        data: {
          object: {
            ...account,
            balance_refresh: { status: 'succeeded', last_attempted_at: at, next_refresh_available_at: null },
          },
        },
      });
      sent.set(new Date(at * 1000).toISOString(), {
        at: performance.now(),
        account: account.id,
        created: at,
      });
      const res = await fetch(`${gw.url}/webhooks/stripe`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
        },
        body: payload,
      });
      await res.arrayBuffer();
    };
    let lost = 0;
    let superseded = 0;
    /**
     * Deliveries that did not arrive. An event no endpoint got is superseded when a newer event of the same
     * account arrived (the order guard drops an older refresh processed after a newer one: not a loss).
     */
    const countMissing = () => {
      const newest = new Map<string, number>();
      for (const key of arrived.keys()) {
        const s = sent.get(key);
        if (s) newest.set(s.account, Math.max(newest.get(s.account) ?? 0, s.created));
      }
      for (const [key, s] of sent) {
        const got = arrived.get(key) ?? 0;
        if (got === 0 && (newest.get(s.account) ?? 0) > s.created) superseded += 1;
        else lost += ENDPOINTS - Math.min(got, ENDPOINTS);
        sent.delete(key);
      }
    };
    /** Resolves when `expected` deliveries arrived, or after 60 s. */
    const allArrived = (expected: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000);
        onArrivalCount = () => {
          if (arrivals < expected) return;
          clearTimeout(timer);
          resolve();
        };
        onArrivalCount();
      });

    // Warm-up (connections, JIT, partner lookup cache), not measured.
    for (let i = 0; i < 20; i += 1) await post(accounts[i % accounts.length]);
    await allArrived(20 * ENDPOINTS);

    log(`partner webhooks: ${LATENCY_EVENTS} events at ${RATE}/s to ${ENDPOINTS} endpoints`);
    latencies.length = 0;
    let base = arrivals;
    const posts: Promise<void>[] = [];
    for (let i = 0; i < LATENCY_EVENTS; i += 1) {
      posts.push(post(accounts[i % accounts.length]));
      await new Promise((r) => setTimeout(r, 1000 / RATE));
    }
    await Promise.all(posts);
    await allArrived(base + LATENCY_EVENTS * ENDPOINTS);
    countMissing();
    const sorted = [...latencies].sort((a, b) => a - b);

    log(`partner webhooks: ${THROUGHPUT_EVENTS} events as fast as the gateway takes them`);
    base = arrivals;
    const t0 = performance.now();
    let next = 0;
    // One sender per account, each sending its account's events in order (the order guard drops an older one).
    await Promise.all(
      accounts.map(async (account) => {
        while (next < THROUGHPUT_EVENTS) {
          next += 1;
          await post(account);
        }
      }),
    );
    await allArrived(base + THROUGHPUT_EVENTS * ENDPOINTS);
    const seconds = (performance.now() - t0) / 1000;
    countMissing();
    const cpus = os.cpus();
    const markdown = [
      '## Partner webhooks: Stripe webhook → partner endpoint',
      '',
      `${new Date().toISOString()} · ${cpus.length} × ${cpus[0]?.model ?? 'unknown'} · Node ${process.version} · load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (other work on the machine shares these cores)`,
      '',
      `One gateway process with REDIS_URL (BullMQ queue, endpoints in Redis) and WEBHOOK_CONCURRENCY=128, ${ENDPOINTS} endpoints of one partner, ${CUSTOMERS * 5} linked accounts (one sender per account in the throughput phase), each endpoint a local HTTP server answering 200 at once; sandbox, receivers and driver share the driver process. Latency runs from just before the signed \`refreshed_balance\` webhook is POSTed to the gateway until a receiver has read the partner event's body (one clock, in the driver); every delivery counts (${ENDPOINTS} per event).`,
      '',
      '| measure | value |',
      '|---|---|',
      `| latency p50 at ${RATE} events/s (ms) | ${round(percentile(sorted, 50))} |`,
      `| latency p99 at ${RATE} events/s (ms) | ${round(percentile(sorted, 99))} |`,
      `| latency max at ${RATE} events/s (ms) | ${round(sorted.at(-1) ?? NaN)} |`,
      `| deliveries measured | ${sorted.length} |`,
      `| events/s sustained, ${ENDPOINTS} deliveries each (${THROUGHPUT_EVENTS} events) | ${round(THROUGHPUT_EVENTS / seconds)} |`,
      `| deliveries/s sustained | ${round((THROUGHPUT_EVENTS * ENDPOINTS) / seconds)} |`,
      `| deliveries missing after 60 s (lost) | ${lost} |`,
      `| events dropped as older than a newer event of the same account (order guard) | ${superseded} |`,
      '',
    ].join('\n');
    return { markdown };
  } finally {
    await gw.close();
    for (const r of receivers) r.server.close();
    await sandbox.close();
    redis.stop();
  }
}

/** Alone: replaces this benchmark's section of bench/RESULTS.md (or appends it). */
if (require.main === module) {
  runPartnerWebhookBench().then(
    ({ markdown }) => {
      const file = path.join(__dirname, '..', '..', 'bench', 'RESULTS.md');
      const current = readFileSync(file, 'utf8');
      const start = current.indexOf('## Partner webhooks');
      const end = start < 0 ? -1 : current.indexOf('\n## ', start + 1);
      const next =
        start < 0
          ? `${current.trimEnd()}\n\n${markdown}`
          : current.slice(0, start) + markdown + (end < 0 ? '' : current.slice(end + 1));
      writeFileSync(file, next);
      process.stdout.write(markdown);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
