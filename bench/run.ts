// `npm run bench`: three benchmarks (Stripe requests per operation, throughput and latency against
// peers, a burst over the Stripe budget), the warm-cache RSS, two instances behind one Redis (bench/two-instances.ts),
// and the subscription section; writes bench/RESULTS.md.
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { createGateway, type Gateway } from '../src/app';
import { parseConfig } from '../src/platform/config';
import { createSandbox, SANDBOX_SECRET_KEY, type Sandbox } from '../src/sandbox/server';
import type { BurstLoadOptions, BurstLoadResult } from './burst-load';
import { generatedOperations, startGeneratedGateway } from './generated-gateway';
import { startNaiveServer } from './naive-server';
import { transactionSyncSection } from './transaction-sync';
import { TWO_INSTANCES_HEADING, twoInstancesSection, type BenchKit } from './two-instances';
import {
  FIVE_ACCOUNTS,
  Q_CREATE_CUSTOMER,
  Q_CREATE_SESSION,
  Q_DASHBOARD,
  Q_SAME_ACCOUNT_THRICE,
  Q_SESSION,
  Q_SINGLE,
  Q_TRANSACTIONS,
  TRANSACTION_PAGES,
  idsShown,
  minimumRequests,
  minimumWithoutExpand,
  mustPost,
  post,
  type SuiteRequest,
} from './suite';
import { percentile } from './percentile';
import { combineRounds, type BenchLoad } from './rounds';

const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PARTNER = { partnerId: 'bench', apiKey: 'bench_partner_key_0123456789' };
const TOKEN_SECRET = 'bench-token-secret-0123456789abcdef0123456789';
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function gatewayEnv(sandboxUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    STRIPE_API_BASE: sandboxUrl,
    STRIPE_SECRET_KEY: SANDBOX_SECRET_KEY,
    PARTNER_KEYS: `${PARTNER.partnerId}:${PARTNER.apiKey}`,
    TOKEN_SECRET,
    // The per-caller limit would otherwise answer most benchmark requests with 429.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    ...extra,
  };
}

async function inProcessGateway(env: Record<string, string>): Promise<{ gateway: Gateway; url: string }> {
  const gateway = await createGateway(parseConfig(env));
  const base = await gateway.listen();
  return { gateway, url: `${base}/graphql` };
}

function stripeFor(url: string): Stripe {
  const u = new URL(url);
  return new Stripe(SANDBOX_SECRET_KEY, {
    host: u.hostname,
    port: Number(u.port),
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

/** A customer of the bench partner with the five accounts linked, transactions and ownership prefetched. */
async function linkedCustomer(sb: Sandbox, url: string) {
  const customer = (
    await mustPost(url, PARTNER.apiKey, {
      query: Q_CREATE_CUSTOMER,
      variables: {
        input: { model: 'CUSTOMER', email: `bench.${Date.now()}@example.com`, name: 'Bench Customer' },
      },
    })
  ).createCustomer.customer.id as string;
  const session = (
    await mustPost(url, PARTNER.apiKey, {
      query: Q_CREATE_SESSION,
      variables: {
        input: {
          customerId: customer,
          permissions: ['BALANCES', 'OWNERSHIP', 'PAYMENT_METHOD', 'TRANSACTIONS'],
          prefetch: ['BALANCE', 'OWNERSHIP', 'TRANSACTIONS'],
        },
      },
    })
  ).createFinancialConnectionsSession.session.id as string;
  const completed = sb.completeSession(session, { accounts: FIVE_ACCOUNTS });
  const accounts = completed.accounts.map((a) => a.id as string);
  // Wait for the prefetched data to land (the sandbox completes refreshes asynchronously).
  const stripe = stripeFor(sb.url!);
  for (let i = 0; i < 200; i++) {
    const all = await Promise.all(accounts.map((a) => stripe.financialConnections.accounts.retrieve(a)));
    if (
      all.every(
        (a) => a.transaction_refresh?.status === 'succeeded' && a.ownership_refresh?.status !== 'pending',
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const all = await Promise.all(accounts.map((a) => stripe.financialConnections.accounts.retrieve(a)));
  return { customer, session, accounts, ownerships: all.filter((a) => a.ownership).length };
}

/** The value with every array sorted, to compare answers that differ only in list order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(canonical).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  return value;
}

// ---------------------------------------------------------------------------------------------
// 1. Stripe requests per operation
// ---------------------------------------------------------------------------------------------

async function requestsPerOperation(
  sb: Sandbox,
): Promise<{ markdown: string; data: Awaited<ReturnType<typeof linkedCustomer>> }> {
  log('1/3 Stripe requests per operation');
  const { gateway, url } = await inProcessGateway(gatewayEnv(sb.url!, { STRIPE_MAX_RPS: '1000' }));
  const naive = await startNaiveServer({
    apiBase: sb.url!,
    secretKey: SANDBOX_SECRET_KEY,
    partners: { [PARTNER.apiKey]: PARTNER.partnerId },
  });
  const generated = await startGeneratedGateway({ apiBase: sb.url!, secretKey: SANDBOX_SECRET_KEY });
  try {
    const data = await linkedCustomer(sb, url);
    let trips = 0;
    const send = (target: string, request: SuiteRequest) => {
      trips += 1;
      return mustPost(target, PARTNER.apiKey, request);
    };
    const pages = async (target: string) => {
      const answers: unknown[] = [];
      let after: string | null = null;
      for (let i = 0; i < TRANSACTION_PAGES; i++) {
        const d = await send(target, { query: Q_TRANSACTIONS, variables: { id: data.accounts[0], after } });
        answers.push(d);
        after = d.financialAccount.transactions.pageInfo.endCursor;
      }
      return answers;
    };
    const one = (request: SuiteRequest) => (target: string) => send(target, request);
    const peer = new Map(
      generatedOperations({ customer: data.customer, session: data.session, accounts: data.accounts }),
    );
    // What the client knew before asking: ids it passed in count as shown (the peer does not echo them).
    const known = [data.customer, data.session, data.accounts[0]];
    const sameObjects = (a: unknown, b: unknown) => {
      const [x, y] = [idsShown(a, known), idsShown(b, known)];
      return x.size === y.size && [...x].every((id) => y.has(id));
    };
    const suite: [string, (target: string) => Promise<unknown>][] = [
      ['single account', one({ query: Q_SINGLE, variables: { id: data.accounts[0] } })],
      ['customer dashboard (5 accounts)', one({ query: Q_DASHBOARD, variables: { id: data.customer } })],
      ['session with linked accounts', one({ query: Q_SESSION, variables: { id: data.session } })],
      ['100 transactions, 4 pages', pages],
      [
        'same account three times',
        one({ query: Q_SAME_ACCOUNT_THRICE, variables: { id: data.accounts[0] } }),
      ],
    ];
    const rows: string[] = [];
    let allMinimal = true;
    let noneAbovePeer = true;
    let dashboard = { ours: 0, peer: 0, min: 0 };
    for (const [name, run] of suite) {
      // Cold: nothing cached from earlier operations (the gateway's cross-request cache is emptied).
      await gateway.readStore.invalidateAllTenants('*');
      sb.clearRequestLog();
      const wavesBefore = gateway.stripeClient.waveCount();
      trips = 0;
      const viaGateway = await run(url);
      const gatewayCount = sb.requestLog.length;
      const gatewayTrips = trips;
      const waves = gateway.stripeClient.waveCount() - wavesBefore;
      sb.clearRequestLog();
      const peerTripsBefore = generated.roundTrips();
      const viaPeer = await peer.get(name)!(generated.url);
      const peerCount = sb.requestLog.length;
      const peerTrips = generated.roundTrips() - peerTripsBefore;
      noneAbovePeer &&= gatewayCount <= peerCount;

      sb.clearRequestLog();
      const viaNaive = await run(naive.url);
      const naiveCount = sb.requestLog.length;
      await gateway.readStore.invalidateAllTenants('*');
      const facts = { accounts: data.accounts.length, ownerships: data.ownerships };
      const min = minimumRequests(name, facts);
      if (name.startsWith('customer dashboard')) dashboard = { ours: gatewayCount, peer: peerCount, min };
      allMinimal &&= gatewayCount <= min;
      const same =
        JSON.stringify(viaGateway) === JSON.stringify(viaNaive)
          ? 'yes'
          : JSON.stringify(canonical(viaGateway)) === JSON.stringify(canonical(viaNaive))
            ? 'yes, in another order ¹'
            : '**no**';
      rows.push(
        `| ${name} | ${gatewayCount} | ${waves} | ${min} | ${minimumWithoutExpand(name, facts)} | ${peerCount} | ${naiveCount} | ${gatewayCount <= min ? 'yes' : '**no**'} | ${gatewayCount <= peerCount ? 'yes' : '**no**'} | ${gatewayTrips} / ${peerTrips} | ${same} | ${sameObjects(viaGateway, viaPeer) ? 'yes' : '**no**'} |`,
      );
    }
    const markdown = [
      '## 1. Stripe requests per operation',
      '',
      'Each operation runs once with an empty cross-request cache (the 4 transaction pages run in a row, as a client ' +
        'pages). Counted on the sandbox\'s own request log. "Naive" is `bench/naive-server.ts`: the same contract ' +
        'schema over the same sandbox, one resolver per field, each id-taking field fetching its customer for the ' +
        'tenancy check, no DataLoader, no cache. "Minimum" is derived in `bench/suite.ts`: every object needed once, ' +
        'plus the customer that proves tenancy, minus what Stripe can embed in another request of the operation ' +
        "(`expand[]` paths the spec's x-expandableFields allow, at most 4 levels), and a list call returns up to " +
        '100 objects (the 4 pages of 25 are one call); "without expand" is the same ' +
        'count with nothing embedded. "Waves": sequential rounds of Stripe calls (calls sent together, before any ' +
        'of them answered, are one wave; the 4 pages are 4 operations).',
      '',
      '"Generated" is `bench/generated-gateway.ts`: GraphQL Mesh\'s OpenAPI loader (`@omnigraph/openapi`) over ' +
        'the same spec subset, served as is against the same sandbox with the sandbox key (`queryStringOptions: ' +
        "{ arrayFormat: 'brackets' }` and no `explode` on deepObject query parameters, so it sends " +
        '`account_holder[customer]=` and `expand[]=` as Stripe reads them), with the best documents a frontend ' +
        'could send it for each operation: `expand[]` wherever it saves a request (`data.ownership` and ' +
        "`data.account_holder.customer` on the dashboard's account list, `account_holder.customer` on the " +
        "session and on the read that shows the customer), the dashboard's transactions in one second document " +
        "(one aliased field per account of the first answer; Stripe lists one account's transactions per call) and " +
        "its customer taken from the accounts' embedded holder (its own GET only for a customer with no account). " +
        'It checks no tenancy. "Round trips": GraphQL requests the client sent (gateway / generated). "Same ' +
        'objects": the generated answer shows the same Stripe ids as the gateway\'s.',
      '',
      '| operation | gateway | waves | minimum | minimum without expand | generated | naive | gateway = minimum | gateway ≤ generated | round trips | same answer as naive | generated: same objects |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `- Target "Stripe requests = the minimum on every operation": ${allMinimal ? 'reached' : '**not reached**'}.`,
      `- Target "Stripe requests ≤ the generated gateway on every operation": ${noneAbovePeer ? 'reached' : '**not reached**'}.`,
      `- Target "strictly fewer than the generated gateway on the dashboard": ${
        dashboard.ours < dashboard.peer
          ? 'reached'
          : dashboard.ours === dashboard.peer && dashboard.ours === dashboard.min
            ? `**not reached**: both send ${dashboard.ours}, the minimum, which no gateway over Stripe can go below ` +
              '(the generated gateway reaches it by reading the customer from the embedded account holder; the ' +
              'gateway answers in one round trip where it needs two)'
            : `**not reached** (${dashboard.ours} and ${dashboard.peer})`
      }.`,
      '',
      '"Same account three times" is sent to the generated gateway as the suite sends it (three fields, as three ' +
        'components would ask): it has no per-request de-duplication. A frontend that merged them by hand into one ' +
        'field would cost 1.',
      '',
      "¹ The same objects; the gateway lists a session's accounts in the session's own (linking) order, the naive " +
        'server in the order of `GET /v1/financial_connections/accounts?session=` (newest first).',
      '',
    ].join('\n');
    return { markdown, data };
  } finally {
    await naive.close();
    await generated.close();
    await gateway.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Throughput and latency, and RSS with a warm cache
// ---------------------------------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  url: string;
  rss(): Promise<number>;
  /** User + system CPU time the process has used so far, in microseconds. */
  cpu(): Promise<number>;
  close(): Promise<void>;
}

function startChild(kind: string, env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = fork(path.join(__dirname, 'servers.js'), [kind], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // e.g. BENCH_GATEWAY_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the gateway process.
      execArgv:
        kind === 'gateway' ? (process.env.BENCH_GATEWAY_EXEC_ARGV?.split(' ').filter(Boolean) ?? []) : [],
    });
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
    proc.once('message', (msg: { type: string; url: string }) => {
      resolve({
        proc,
        url: msg.url,
        rss: () =>
          new Promise((r) => {
            proc.once('message', (m: { rss: number }) => r(m.rss));
            proc.send({ type: 'rss' });
          }),
        cpu: () =>
          new Promise((r) => {
            proc.once('message', (m: { cpu: number }) => r(m.cpu));
            proc.send({ type: 'cpu' });
          }),
        close: () =>
          new Promise((r) => {
            proc.removeAllListeners('exit');
            proc.once('exit', () => r());
            proc.send({ type: 'close' });
          }),
      });
    });
  });
}

/** A bench/burst-load.ts child process: runs fixed-rate loads one after another. */
interface BurstClient {
  run(
    url: string,
    body: string,
    rate: number,
    burst: number,
    warmupSeconds: number,
  ): Promise<BurstLoadResult>;
  close(): void;
}

function startBurstClient(): BurstClient {
  const proc = fork(path.join(__dirname, 'burst-load.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    run: (url, body, rate, burst, warmupSeconds) =>
      new Promise((resolve, reject) => {
        const options: BurstLoadOptions = {
          url,
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER.apiKey}` },
          rate,
          burst,
          seconds: MEASURED_SECONDS,
          warmupSeconds,
        };
        const exited = (code: number | null) => reject(new Error(`burst-load exited with ${code}`));
        proc.once('exit', exited);
        proc.once('message', (result: BurstLoadResult) => {
          proc.off('exit', exited);
          resolve(result);
        });
        proc.send(options);
      }),
    close: () => proc.kill(),
  };
}

/** Seconds of each measured load run (BENCH_SECONDS shortens it for a quick look; the full bench uses 10). */
const MEASURED_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function load(
  url: string,
  body: string,
  opts: { connections?: number; duration: number; rate?: number },
): Promise<BenchLoad> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER.apiKey}` },
    body,
    connections: opts.connections ?? 50,
    duration: opts.duration,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
  });
  return {
    rps: round(r.requests.average, 0),
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

async function throughput(sb: Sandbox, data: { customer: string; accounts: string[] }): Promise<string> {
  log('2/3 throughput and latency (gateway, bare Apollo Server, Mercurius + graphql-jit)');
  const dashboard = JSON.stringify({ query: Q_DASHBOARD, variables: { id: data.customer } });
  const gw = await startChild('gateway', gatewayEnv(sb.url!, { STRIPE_MAX_RPS: '5000' }));
  const children: Child[] = [gw];
  try {
    const answer = await mustPost(gw.url, PARTNER.apiKey, JSON.parse(dashboard) as SuiteRequest);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fcgw-bench-'));
    const dataFile = path.join(dir, 'dashboard.json');
    writeFileSync(dataFile, JSON.stringify(answer));
    const apollo = await startChild('apollo', { NODE_ENV: 'production', BENCH_DATA_FILE: dataFile });
    children.push(apollo);
    const merc = await startChild('mercurius', { NODE_ENV: 'production', BENCH_DATA_FILE: dataFile });
    children.push(merc);
    for (const peer of [apollo, merc]) {
      const same = JSON.stringify(
        await mustPost(peer.url, PARTNER.apiKey, JSON.parse(dashboard) as SuiteRequest),
      );
      if (same !== JSON.stringify(answer)) throw new Error(`peer at ${peer.url} answers differently`);
    }
    const servers = [
      ['gateway (cached dashboard)', gw],
      ['bare Apollo Server 5 (fastify, production)', apollo],
      ['Mercurius + graphql-jit', merc],
    ] as const;
    for (const [name, child] of servers) {
      log(`   ${name}: warm-up 3 s`);
      await load(child.url, dashboard, { duration: 3 });
    }
    // Interleaved rounds, the order rotating: a load that comes and goes on the machine falls on all three alike,
    // so the ratios hold even when the absolute numbers move.
    const rounds = 5;
    const slice = Math.max(1, Math.round(MEASURED_SECONDS / rounds));
    const runs: Record<string, BenchLoad[]> = {};
    /** Server CPU (µs) over the measured rounds: what the answers cost the server, whatever else loads the machine. */
    const cpu: Record<string, number> = {};
    for (let r = 0; r < rounds; r++) {
      log(`   round ${r + 1}/${rounds}: ${slice} s each`);
      for (let i = 0; i < servers.length; i++) {
        const [name, child] = servers[(i + r) % servers.length];
        const cpu0 = await child.cpu();
        (runs[name] ??= []).push(await load(child.url, dashboard, { duration: slice }));
        cpu[name] = (cpu[name] ?? 0) + (await child.cpu()) - cpu0;
      }
    }
    const results: Record<string, BenchLoad> = {};
    const cpuPerRequest: Record<string, number> = {};
    for (const [name, list] of Object.entries(runs)) {
      results[name] = combineRounds(list, slice);
      cpuPerRequest[name] = cpu[name] / Math.max(1, results[name].total);
    }
    // The peers are done: only the gateway runs while it is measured at a fixed rate.
    for (const peer of [apollo, merc]) {
      await peer.close();
      children.splice(children.indexOf(peer), 1);
    }
    // The same bytes from a bare node:http server: what this machine and client cost at these bursts.
    const floor = await startChild('node-http', { NODE_ENV: 'production', BENCH_DATA_FILE: dataFile });
    children.push(floor);
    const client = startBurstClient();
    const fixedRuns: { burst: number; gateway: BurstLoadResult; cpu: number; floor: BurstLoadResult }[] = [];
    try {
      // The client's first run warms its own code up (not measured).
      await client.run(floor.url, dashboard, 500, 20, 3);
      for (const burst of [1, 10, 20]) {
        log(
          `   500 req/s in bursts of ${burst}: gateway, then bare node:http (warm-up 2 s, then ${MEASURED_SECONDS} s)`,
        );
        const cpu0 = await gw.cpu();
        const gateway = await client.run(gw.url, dashboard, 500, burst, 2);
        const cpu = ((await gw.cpu()) - cpu0) / (500 * (MEASURED_SECONDS + 2));
        fixedRuns.push({ burst, gateway, cpu, floor: await client.run(floor.url, dashboard, 500, burst, 2) });
      }
    } finally {
      client.close();
    }
    const fixed = fixedRuns[0].gateway;
    const g = results['gateway (cached dashboard)'];
    const m = results['Mercurius + graphql-jit'];
    const a = results['bare Apollo Server 5 (fastify, production)'];

    log('   RSS: warming the gateway cache with 10,000 Stripe objects');
    const rssBefore = await gw.rss();
    const warmed = await warmCache(sb, gw.url, data.accounts, 10_000);
    const rssAfter = await gw.rss();
    // After the RSS reading: 200 more compiled documents are not part of "the same load".
    log('   cold path: 200 distinct documents, fast lane on and off (four fresh gateways)');
    // Two processes per configuration: the spread between two identical gateways (A/A) is the noise that a
    // difference between the configurations has to exceed to mean anything.
    const fresh: ColdGateway[] = [];
    for (const [name, lane] of [
      ['fast lane on', 'on'],
      ['fast lane off (Apollo Server only)', 'off'],
      ['fast lane on', 'on'],
      ['fast lane off (Apollo Server only)', 'off'],
    ] as const) {
      const child = await startChild(
        'gateway',
        gatewayEnv(sb.url!, { STRIPE_MAX_RPS: '5000', GRAPHQL_FAST_LANE: lane }),
      );
      children.push(child);
      // One dashboard first: all then answer from a warm read cache, as the measured gateway does.
      await mustPost(child.url, PARTNER.apiKey, JSON.parse(dashboard) as SuiteRequest);
      fresh.push({ name, url: child.url });
    }
    const cold = await coldPath(fresh, data.customer, 200);
    const mb = (b: number) => Math.round(b / 1024 / 1024);

    return [
      '## 2. Throughput and latency',
      '',
      'One run, servers side by side, each in its own process; autocannon (50 connections) in the driver process on the ' +
        `same machine: a 3 s warm-up each, then ${rounds} interleaved rounds of ${slice} s each, the order rotating ` +
        '(req/s over all rounds; p50 the median of the rounds, p99 the worst round). The query is the dashboard of benchmark 1 (a customer, 5 accounts, ' +
        'balances, owners, 10 transactions each). The gateway answers it from its cross-request cache (production mode, ' +
        'authentication, limits, rate limiting, metrics, error masking all on; graphql-jit executor, APQ on). The two ' +
        'peers answer the same bytes from memory with the contract schema, no authentication. "Server CPU per request" ' +
        "is the server process's user + system CPU time over the measured run divided by the requests it answered: " +
        'unlike req/s, it hardly moves when other work shares the machine.',
      '',
      '| server | req/s | p50 (ms) | p99 (ms) | errors | req/s vs Mercurius + jit | server CPU per request (µs) |',
      '|---|---|---|---|---|---|---|',
      ...Object.entries(results).map(
        ([name, r]) =>
          `| ${name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${round(r.rps / m.rps, 2)}× | ${round(cpuPerRequest[name], 0)} |`,
      ),
      '',
      'At a fixed 500 req/s (bench/burst-load.ts, a client in its own process; the peers stopped): a burst of N ' +
        'requests, one per connection, sent together every N/500 s; latency runs from when each request was due, so ' +
        "a late send counts (no coordinated omission). autocannon's `overallRate` is not used: it sends each second's " +
        'quota back to back at the top of the second (see bench/burst-load.ts). Each gateway run is followed by the ' +
        'same run against a bare `node:http` server answering the same bytes from memory: the floor of this machine ' +
        'and client. Server CPU per request includes the 2 s warm-up.',
      '',
      '| burst (connections) | gateway req/s | gateway p50 (ms) | gateway p99 (ms) | gateway max (ms) | errors | server CPU per request (µs) | bare node:http p50 / p99 / max (ms) |',
      '|---|---|---|---|---|---|---|---|',
      ...fixedRuns.map(
        ({ burst, gateway: r, cpu, floor: f }) =>
          `| ${burst} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors} | ${round(cpu, 0)} | ${f.p50} / ${f.p99} / ${f.max} |`,
      ),
      '',
      `- Target "cached dashboard ≥ 1.0× Mercurius + graphql-jit req/s": ${g.rps >= m.rps ? 'reached' : '**not reached**'} ` +
        `(${round(g.rps / m.rps, 2)}×; bare Apollo Server is ${round(a.rps / m.rps, 2)}×, the gateway ${round(g.rps / a.rps, 2)}× bare Apollo).`,
      `- Target "p99 < 10 ms at 500 req/s": ${fixed.p99 < 10 ? 'reached' : '**not reached**'} with evenly spaced ` +
        `arrivals (bursts of 1: ${fixed.p99} ms); ` +
        `${fixedRuns.every(({ gateway: r }) => r.p99 < 10) ? 'also' : '**not**'} with bursts of 10 and 20 ` +
        `(${fixedRuns
          .slice(1)
          .map(({ burst, gateway: r }) => `${burst}: ${r.p99} ms`)
          .join(', ')}).`,
      '',
      'First sight of a document (the cold path): 200 distinct dashboard documents, one at a time, each parsed, ' +
        'validated, costed and compiled anew, sent in turn (the order alternating) to four fresh gateways, two with the ' +
        'fast lane and two with `GRAPHQL_FAST_LANE=off` (Apollo Server answers everything); all answer from a warm read ' +
        'cache. The differences are per document (paired), with a 95% interval; "A/A" compares the two gateways of the ' +
        'same configuration, so it shows how far two identical processes drift apart in this run:',
      '',
      '| gateway | mean (ms) | median (ms) | p99 (ms) |',
      '|---|---|---|---|',
      ...cold.configurations.map((c) => `| ${c.name} | ${c.mean} | ${c.median} | ${c.p99} |`),
      '',
      `- Lane on − lane off: ${cold.difference.mean} ms (95% interval ${cold.difference.low} to ${cold.difference.high} ms); ` +
        `A/A, lane on: ${cold.aa[0].mean} ms (${cold.aa[0].low} to ${cold.aa[0].high}); A/A, lane off: ` +
        `${cold.aa[1].mean} ms (${cold.aa[1].low} to ${cold.aa[1].high}).`,
      `- Target "the cold path no slower than today" (today: Apollo Server for every request): ` +
        `${coldVerdict(cold).reached ? 'reached' : '**not reached**'} (the lane's first sight is ${coldVerdict(cold).words}).`,
      '',
      '### RSS with a warm cache',
      '',
      `Gateway process RSS after the load runs: ${mb(rssBefore)} MB; after reading ${warmed} distinct transactions ` +
        `through \`transaction(id:)\` (each one cached Stripe object, plus their accounts and customer): ${mb(rssAfter)} MB. ` +
        `Target "< 300 MB with 10,000 cached objects": ${mb(rssAfter) < 300 && warmed >= 10_000 ? 'reached' : '**not reached**'}.`,
      '',
    ].join('\n');
  } finally {
    for (const c of children) await c.close();
  }
}

/**
 * First sight of a document: `count` distinct dashboard documents (each with its own alias, so each is parsed,
 * validated, costed and compiled anew), sent one after the other to each gateway in turn.
 * @returns mean and p99 latency (ms) per gateway
 */
interface ColdGateway {
  name: string;
  url: string;
}

/** A mean difference and its 95% interval (normal approximation; n = 200 pairs). */
interface Difference {
  mean: number;
  low: number;
  high: number;
}

function pairedDifference(a: number[], b: number[]): Difference {
  const d = a.map((x, i) => x - b[i]);
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const sd = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1));
  const half = (1.96 * sd) / Math.sqrt(d.length);
  return { mean: round(mean, 2), low: round(mean - half, 2), high: round(mean + half, 2) };
}

/**
 * Each document goes to every gateway (two per configuration, in `gateways` order: on, off, on, off), the order
 * reversed every other document so no gateway always meets the others' leftovers.
 */
async function coldPath(
  gateways: ColdGateway[],
  customer: string,
  count: number,
): Promise<{
  configurations: { name: string; mean: number; median: number; p99: number }[];
  difference: Difference;
  aa: [Difference, Difference];
}> {
  const times: number[][] = gateways.map(() => []);
  for (let i = 0; i < count; i++) {
    const query = Q_DASHBOARD.replace('customer(id: $id)', `cold${i}: customer(id: $id)`);
    const order = gateways.map((g, index) => ({ ...g, index }));
    if (i % 2) order.reverse();
    for (const { url, index } of order) {
      const t = process.hrtime.bigint();
      await mustPost(url, PARTNER.apiKey, { query, variables: { id: customer } });
      times[index].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  const [onA, offA, onB, offB] = times;
  const both = (x: number[], y: number[]) => x.map((v, i) => (v + y[i]) / 2);
  const summary = (name: string, t: number[]) => ({
    name,
    mean: round(t.reduce((x, y) => x + y, 0) / t.length, 2),
    median: round(percentile(t, 50), 2),
    p99: round(percentile(t, 99), 2),
  });
  return {
    configurations: [
      summary(gateways[0].name, [...onA, ...onB]),
      summary(gateways[1].name, [...offA, ...offB]),
    ],
    difference: pairedDifference(both(onA, onB), both(offA, offB)),
    aa: [pairedDifference(onA, onB), pairedDifference(offA, offB)],
  };
}

/** Reads `count` distinct transactions through the gateway (64 at a time) so each lands in its cache. */
async function warmCache(sb: Sandbox, url: string, accounts: string[], count: number): Promise<number> {
  const stripe = stripeFor(sb.url!);
  const ids: string[] = [];
  for (const account of accounts) {
    for await (const t of stripe.financialConnections.transactions.list({ account, limit: 100 })) {
      ids.push(t.id);
      if (ids.length >= count) break;
    }
    if (ids.length >= count) break;
  }
  const query =
    'query T($id: ID!) { transaction(id: $id) { id description status amount { amount currency } } }';
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const r = await post(url, PARTNER.apiKey, { query, variables: { id } });
        if (r.errors?.length) failed += 1;
      }
    }),
  );
  if (failed) log(`   ${failed} warm-up reads failed`);
  return ids.length - failed;
}

/** The tools of section 2, lent to section 2b (bench/two-instances.ts). */
const kit: BenchKit = {
  startChild,
  load,
  gatewayEnv,
  apiKey: PARTNER.apiKey,
  measuredSeconds: MEASURED_SECONDS,
  log,
};

// ---------------------------------------------------------------------------------------------
// 3. Burst of 10x STRIPE_MAX_RPS
// ---------------------------------------------------------------------------------------------

function maxPerSecond(times: number[]): number {
  const t = [...times].sort((x, y) => x - y);
  let best = 0;
  for (let hi = 0, lo = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

async function burst(): Promise<string> {
  const maxRps = 20;
  const n = maxRps * 10;
  log(
    `3/3 burst of ${n} operations (10 × STRIPE_MAX_RPS=${maxRps}) against a sandbox limited to ${maxRps} req/s`,
  );
  const sb = await createSandbox({ port: 0, rateLimit: { requestsPerSecond: maxRps } });
  await sb.listen();
  const { gateway, url } = await inProcessGateway(gatewayEnv(sb.url!, { STRIPE_MAX_RPS: String(maxRps) }));
  try {
    sb.clearRequestLog();
    const start = Date.now();
    const latencies: number[] = [];
    const results = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const t = Date.now();
        const r = await post(url, PARTNER.apiKey, {
          query: Q_CREATE_CUSTOMER,
          variables: { input: { model: 'CUSTOMER', email: `burst.${i}@example.com`, name: `Burst ${i}` } },
        }).catch((e: Error) => ({ data: null, errors: [{ message: e.message }] }));
        latencies.push(Date.now() - t);
        return r;
      }),
    );
    const wall = Date.now() - start;
    const clientErrors = results.filter((r) => r.errors?.length || !r.data).length;
    const upstream = sb.requestLog;
    const limited = upstream.filter((e) => e.status === 429).length;
    const peak = maxPerSecond(upstream.map((e) => e.at));
    const ok = clientErrors === 0 && limited === 0 && peak <= maxRps;
    const waits = await gateway.metrics.rateBudgetWaits.get();
    const waitSum =
      waits.values.find((v) => v.metricName === 'stripe_rate_budget_wait_seconds_sum')?.value ?? 0;
    return [
      '## 3. Burst over the Stripe budget',
      '',
      `${n} \`createCustomer\` mutations sent at once (each needs one Stripe POST, none can be cached) to a gateway with ` +
        `STRIPE_MAX_RPS=${maxRps}; the sandbox enforces ${maxRps} req/s itself (sliding one-second window, 429 beyond).`,
      '',
      '| client errors | upstream requests | upstream 429s | peak upstream req in any 1 s | wall time (s) | client p50 / p99 / max (ms) | total budget wait (s) |',
      '|---|---|---|---|---|---|---|',
      `| ${clientErrors} | ${upstream.length} | ${limited} | ${peak} | ${round(wall / 1000)} | ${percentile(latencies, 50)} / ${percentile(latencies, 99)} / ${Math.max(...latencies)} | ${round(waitSum)} |`,
      '',
      `Target "burst with 0 client errors, upstream under the budget": ${ok ? 'reached' : '**not reached**'}.`,
      '',
    ].join('\n');
  } finally {
    await gateway.close();
    await sb.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function subscriptions(): Promise<string> {
  const file = path.join(__dirname, 'subscriptions.js');
  if (!existsSync(file) || process.env.BENCH_SKIP_SUBSCRIPTIONS === '1') return '';
  log('subscriptions (bench/subscriptions.ts, by the webhooks/subscriptions helper)');
  try {
    const mod = require(file) as { runSubscriptionBench?: (o?: object) => Promise<{ markdown: string }> };
    if (!mod.runSubscriptionBench) return '';
    // The two-instance scenario runs in section 2b, beside its own two-process floor.
    return (await mod.runSubscriptionBench({ redisSubscribers: 0 })).markdown;
  } catch (e) {
    return `## Subscriptions\n\nThe subscription benchmark failed in this run: ${(e as Error).message}\n`;
  }
}

async function partnerWebhooks(): Promise<string> {
  if (process.env.BENCH_SKIP_PARTNER_WEBHOOKS === '1') return '';
  log('partner webhooks (bench/partner-webhooks.ts)');
  try {
    const mod = require(path.join(__dirname, 'partner-webhooks.js')) as {
      runPartnerWebhookBench: () => Promise<{ markdown: string }>;
    };
    return (await mod.runPartnerWebhookBench()).markdown;
  } catch (e) {
    return `## Partner webhooks\n\nThe partner webhook benchmark failed in this run: ${(e as Error).message}\n`;
  }
}

/**
 * `BENCH_ONLY=two-instances`: section 2b alone (its own sandbox and linked customer), written into RESULTS.md in place
 * of the section's older run (or before section 3), with this run's date and machine under its heading; the other
 * sections keep theirs.
 */
async function twoInstancesOnly(): Promise<void> {
  const { sb, data } = await sandboxWithCustomer();
  let section: string;
  try {
    const load = os
      .loadavg()
      .map((l) => round(l, 2))
      .join(', ');
    const note =
      `Run alone (\`BENCH_ONLY=two-instances\`), not with the sections around it:\n\n${machine()}\n` +
      `- Load average before the run: ${load}`;
    section = await twoInstancesSection(sb.url!, data, kit, note);
  } finally {
    await sb.close();
  }
  const file = path.join(__dirname, '..', '..', 'bench', 'RESULTS.md');
  const old = readFileSync(file, 'utf8');
  const start = old.indexOf(TWO_INSTANCES_HEADING);
  const next = old.indexOf('\n## ', start + 1);
  const out =
    start >= 0
      ? old.slice(0, start) + section + (next >= 0 ? old.slice(next + 1) : '')
      : old.replace('## 3. ', `${section}\n## 3. `);
  writeFileSync(file, out);
  process.stdout.write(section);
}

function machine(): string {
  const cpus = os.cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores`,
    `- RAM: ${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    `- Node ${process.version}, ${os.type()} ${os.release()} (${os.arch()})`,
  ].join('\n');
}

/**
 * `BENCH_ONLY=requests`: runs benchmark 1 only and replaces its section in the existing RESULTS.md (request
 * counts do not depend on machine load; the timed sections keep their own, older run, and say so).
 */
async function requestsOnly(): Promise<void> {
  const sb = await createSandbox({ port: 0, transactionsPerAccount: 2_500, refreshDelayMs: 50 });
  await sb.listen();
  let section: string;
  try {
    section = (await requestsPerOperation(sb)).markdown;
  } finally {
    await sb.close();
  }
  const file = path.join(__dirname, '..', '..', 'bench', 'RESULTS.md');
  const old = readFileSync(file, 'utf8');
  const start = old.indexOf('## 1. Stripe requests per operation');
  const end = old.indexOf('## 2. ', start);
  if (start < 0 || end < 0) throw new Error('RESULTS.md has no section 1 to replace: run the full bench');
  const note = `Section 1 re-run alone (\`BENCH_ONLY=requests\`) on ${new Date().toISOString()}; request counts do not depend on machine load; the sections below are from the run dated above, with the code of that run.\n\n`;
  const out = old.slice(0, start) + section.replace('\n\n', `\n\n${note}`) + '\n' + old.slice(end);
  writeFileSync(file, out);
  process.stdout.write(section);
}

/**
 * A sandbox of its own with the suite's customer linked (through a gateway that is closed again): what a section
 * run alone starts from.
 */
async function sandboxWithCustomer(): Promise<{
  sb: Sandbox;
  data: Awaited<ReturnType<typeof linkedCustomer>>;
}> {
  const sb = await createSandbox({ port: 0, transactionsPerAccount: 2_500, refreshDelayMs: 50 });
  await sb.listen();
  try {
    const { gateway, url } = await inProcessGateway(gatewayEnv(sb.url!, { STRIPE_MAX_RPS: '1000' }));
    try {
      return { sb, data: await linkedCustomer(sb, url) };
    } finally {
      await gateway.close();
    }
  } catch (error) {
    await sb.close();
    throw error;
  }
}

/**
 * `BENCH_ONLY=throughput`: benchmark 2 alone (its own sandbox and linked customer), printed to stdout only; its
 * figures are comparable side by side within the run, not with RESULTS.md (which only the full bench writes).
 */
async function throughputOnly(): Promise<void> {
  const { sb, data } = await sandboxWithCustomer();
  try {
    process.stdout.write(
      `${machine()}\n- Load average: ${os
        .loadavg()
        .map((l) => round(l, 2))
        .join(', ')}\n\n`,
    );
    process.stdout.write(await throughput(sb, data));
  } finally {
    await sb.close();
  }
}

/**
 * `BENCH_ONLY=subscriptions`: the bare `ws` floor and the single-instance gateway side by side (1,000 subscribers
 * unless BENCH_SUBSCRIBERS; BENCH_REDIS_SUBSCRIBERS adds the two-instance row), printed with the load average,
 * never written to RESULTS.md: on a shared machine only the ratio within one run means something.
 */
async function subscriptionsOnly(): Promise<void> {
  const mod = require(path.join(__dirname, 'subscriptions.js')) as typeof import('./subscriptions');
  const n = (v: string | undefined) => (v ? Number(v) : undefined);
  const { markdown } = await mod.runSubscriptionBench({
    singleInstanceSubscribers: n(process.env.BENCH_SUBSCRIBERS),
    redisSubscribers: n(process.env.BENCH_REDIS_SUBSCRIBERS) ?? 0,
    events: n(process.env.BENCH_EVENTS),
  });
  const load = os
    .loadavg()
    .map((l) => round(l, 2))
    .join(', ');
  process.stdout.write(`${markdown}\nLoad average at the end: ${load}\n`);
}

/** A paired difference of the cold-path comparison (mean and 95% interval, ms). */
interface PairedDifference {
  mean: number;
  low: number;
  high: number;
}

/**
 * The cold-path verdict. Slower only when the lane's extra time is beyond both its 95% interval and the drift between
 * two identical gateways of the same run (the A/A rows): paired per document, the interval leaves out how far two
 * processes drift apart (a run has shown 0.5 ms between identical gateways, its interval excluding 0), so a smaller
 * difference is not the lane's.
 */
function coldVerdict(cold: { difference: PairedDifference; aa: PairedDifference[] }): {
  reached: boolean;
  words: string;
} {
  const { difference } = cold;
  if (difference.high <= 0) return { reached: true, words: 'faster' };
  if (difference.low <= 0) return { reached: true, words: 'not measurably different' };
  const drift = Math.max(...cold.aa.map((aa) => Math.abs(aa.mean)));
  if (difference.mean <= drift)
    return {
      reached: true,
      words: `not measurably different: ${difference.mean} ms, within the ${drift} ms two identical gateways drift apart`,
    };
  return { reached: false, words: 'slower' };
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'requests') return requestsOnly();
  if (process.env.BENCH_ONLY === 'partner-webhooks') {
    // Alone on a shared machine: printed, not written to RESULTS.md (its timings are not the full run's).
    process.stdout.write(await partnerWebhooks());
    return;
  }
  if (process.env.BENCH_ONLY === 'throughput') return throughputOnly();
  if (process.env.BENCH_ONLY === 'subscriptions') return subscriptionsOnly();
  if (process.env.BENCH_ONLY === 'two-instances') return twoInstancesOnly();
  const sb = await createSandbox({ port: 0, transactionsPerAccount: 2_500, refreshDelayMs: 50 });
  await sb.listen();
  const sections: string[] = [];
  try {
    const first = await requestsPerOperation(sb);
    sections.push(first.markdown);
    sections.push(await throughput(sb, first.data));
    sections.push(await twoInstancesSection(sb.url!, first.data, kit));
  } finally {
    await sb.close();
  }
  sections.push(await burst());
  sections.push(await subscriptions());
  sections.push(await transactionSyncSection());
  sections.push(await partnerWebhooks());
  const out = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (`bench/run.ts`). Re-run it to refresh every figure; nothing here is edited by hand.',
    '',
    machine(),
    '',
    ...sections.filter(Boolean),
  ].join('\n');
  writeFileSync(path.join(__dirname, '..', '..', 'bench', 'RESULTS.md'), out);
  process.stdout.write(out);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
