// Benchmark section "two instances behind one Redis" (the topology docs/deploying.md prescribes): the cached
// dashboard through one instance with REDIS_URL beside Mercurius + graphql-jit answering the same bytes from memory,
// the same load split over two instances, and 10,000 subscribers over two instances against a two-process `ws` floor.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { combineRounds, type BenchLoad } from './rounds';
import {
  BENCH_PARTNER_SECRETS_KEY,
  runTwoInstanceSubscriptionBench,
  startRedis,
  TWO_INSTANCE_BLOCKS,
  TWO_INSTANCE_EVENTS,
} from './subscriptions';
import { mustPost, Q_DASHBOARD, type SuiteRequest } from './suite';

/** A server in its own process (bench/run.ts startChild). */
export interface BenchChild {
  url: string;
  cpu(): Promise<number>;
  close(): Promise<void>;
}

/** What bench/run.ts lends this section, so both measure with the same tools. */
export interface BenchKit {
  startChild(kind: 'gateway' | 'mercurius', env: Record<string, string>): Promise<BenchChild>;
  load(url: string, body: string, opts: { connections?: number; duration: number }): Promise<BenchLoad>;
  gatewayEnv(sandboxUrl: string, extra?: Record<string, string>): Record<string, string>;
  apiKey: string;
  /** Seconds of measured load per configuration (split into rounds). */
  measuredSeconds: number;
  log(line: string): void;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** The heading RESULTS.md gives this section (BENCH_ONLY=two-instances replaces it in place). */
export const TWO_INSTANCES_HEADING = '## 2b. Two instances behind one Redis';

/**
 * Runs the section on `sandboxUrl` (a customer with the suite's five accounts linked) and returns its markdown.
 * @param note a line under the heading (the run's date and machine when the section runs alone)
 */
export async function twoInstancesSection(
  sandboxUrl: string,
  data: { customer: string },
  kit: BenchKit,
  note = '',
): Promise<string> {
  kit.log('2b two instances behind one Redis: cached dashboard, the load split, 10,000 subscribers');
  const redis = await startRedis();
  const children: BenchChild[] = [];
  try {
    const env = kit.gatewayEnv(sandboxUrl, {
      STRIPE_MAX_RPS: '5000',
      REDIS_URL: redis.url,
      PARTNER_SECRETS_KEY: BENCH_PARTNER_SECRETS_KEY,
    });
    const first = await kit.startChild('gateway', env);
    children.push(first);
    const second = await kit.startChild('gateway', env);
    children.push(second);
    const dashboard = JSON.stringify({ query: Q_DASHBOARD, variables: { id: data.customer } });
    const request = JSON.parse(dashboard) as SuiteRequest;
    const answer = await mustPost(first.url, kit.apiKey, request);
    const dataFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'fcgw-bench-2i-')), 'dashboard.json');
    writeFileSync(dataFile, JSON.stringify(answer));
    const merc = await kit.startChild('mercurius', { NODE_ENV: 'production', BENCH_DATA_FILE: dataFile });
    children.push(merc);
    for (const server of [second, merc]) {
      if (JSON.stringify(await mustPost(server.url, kit.apiKey, request)) !== JSON.stringify(answer))
        throw new Error(`${server.url} answers the dashboard differently`);
    }

    const ONE = 'one instance with REDIS_URL (cached dashboard)';
    const SPLIT = 'two instances with REDIS_URL, the load split (25 + 25 connections)';
    const MERC = 'Mercurius + graphql-jit (from memory)';
    /** Each configuration's run: one load, or two at once whose figures add up (p99: the worse of the two). */
    const configurations: [string, (seconds: number) => Promise<BenchLoad>][] = [
      [ONE, (duration) => kit.load(first.url, dashboard, { duration })],
      [
        SPLIT,
        async (duration) => {
          const runs = await Promise.all(
            [first, second].map((c) => kit.load(c.url, dashboard, { duration, connections: 25 })),
          );
          return {
            rps: runs.reduce((n, r) => n + r.rps, 0),
            total: runs.reduce((n, r) => n + r.total, 0),
            p50: Math.max(...runs.map((r) => r.p50)),
            p99: Math.max(...runs.map((r) => r.p99)),
            errors: runs.reduce((n, r) => n + r.errors, 0),
          };
        },
      ],
      [MERC, (duration) => kit.load(merc.url, dashboard, { duration })],
    ];
    for (const [name, run] of configurations) {
      kit.log(`   ${name}: warm-up 3 s`);
      await run(3);
    }
    // Interleaved rounds, the order rotating (as section 2): load that comes and goes falls on all alike.
    const rounds = 5;
    const slice = Math.max(1, Math.round(kit.measuredSeconds / rounds));
    const runs: Record<string, BenchLoad[]> = {};
    for (let r = 0; r < rounds; r++) {
      kit.log(`   round ${r + 1}/${rounds}: ${slice} s each`);
      for (let i = 0; i < configurations.length; i++) {
        const [name, run] = configurations[(i + r) % configurations.length];
        (runs[name] ??= []).push(await run(slice));
      }
    }
    const results: Record<string, BenchLoad> = {};
    for (const [name, list] of Object.entries(runs)) results[name] = combineRounds(list, slice);
    for (const c of children.splice(0)) await c.close();

    const [one, split, m] = [results[ONE], results[SPLIT], results[MERC]];
    const subs = await runTwoInstanceSubscriptionBench({ redisUrl: redis.url, log: kit.log });
    return [
      TWO_INSTANCES_HEADING,
      '',
      ...(note ? [note, ''] : []),
      'The topology [docs/deploying.md](../docs/deploying.md) prescribes once one instance is not enough: gateways ' +
        'sharing one `redis-server` (started by the bench, on loopback), each in its own process, production mode ' +
        'as in section 2. Throughput: the dashboard query of section 2, autocannon in the driver process, a 3 s ' +
        `warm-up each, then ${rounds} interleaved rounds of ${slice} s, the order rotating; Mercurius + graphql-jit ` +
        'answers the same bytes from memory in the same run. "The load split": the same 50 connections, 25 to each ' +
        "instance at once (req/s added up, p50 and p99 the worse instance's); every process shares the same cores, " +
        'so on a small machine two instances contend for them rather than add up.',
      '',
      '| server | req/s | p50 (ms) | p99 (ms) | errors | req/s vs Mercurius + jit | p99 vs Mercurius + jit |',
      '|---|---|---|---|---|---|---|',
      ...[ONE, SPLIT, MERC].map((name) => {
        const r = results[name];
        return `| ${name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${round(r.rps / m.rps)}× | ${round(r.p99 / m.p99)}× |`;
      }),
      '',
      `- Target "with REDIS_URL, the cached dashboard through one instance ≥ 1.0× Mercurius + graphql-jit req/s": ` +
        `${one.rps >= m.rps ? 'reached' : '**not reached**'} (${round(one.rps / m.rps)}×: ${one.rps} against ${m.rps} req/s).`,
      `- Target "with REDIS_URL, p99 under 2× Mercurius + graphql-jit's": ${one.p99 < 2 * m.p99 ? 'reached' : '**not reached**'} ` +
        `(${one.p99} ms against ${m.p99} ms, ${round(one.p99 / m.p99)}×).`,
      `- The load split over two instances: ${split.rps} req/s together (${round(split.rps / one.rps)}× one instance, ` +
        `${round(split.rps / m.rps)}× Mercurius + graphql-jit), p99 ${split.p99} ms.`,
      '',
      'Subscriptions: every subscriber follows one account with `financialAccountRefreshed(accountId)`, half on each ' +
        'instance; each webhook is POSTed to the first instance, which reaches the second through Redis. The floor is ' +
        'two bare `ws` processes holding half the sockets each, sent the finished message at once (no relay between ' +
        `them). Both in the same run, ${TWO_INSTANCE_EVENTS} webhooks each, alternating in ${TWO_INSTANCE_BLOCKS} blocks ` +
        '(floor, gateways, then gateways, floor, and so on; each brought up, ' +
        "warmed with 10 events and torn down), since twice 10,000 sockets at once would pass the driver's open-file " +
        'limit; percentiles over all blocks of one setup. Each subscriber names its subscription with a UUID, as ' +
        "graphql-ws's client does. Columns as in the Subscriptions section below.",
      '',
      subs.markdown,
      '',
    ].join('\n');
  } finally {
    for (const c of children) await c.close();
    redis.stop();
  }
}
