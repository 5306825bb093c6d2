// Child process of the throughput benchmark: a fixed arrival rate in bursts, measured without coordinated omission.
//
// Why not autocannon's `overallRate`: autocannon gives each connection a quota per second and sends it as fast as
// the server answers, then waits for the next second (node_modules/autocannon/lib/httpClient.js, `_doRequest` and
// `rateInterval`). "500 req/s over 20 connections" is then 500 requests back to back at the top of every second,
// a saturation spike, not bursts of 20. Its coordinated-omission correction also uses an expected interval of
// `Math.ceil(1 / rate)` = 1 ms, so each slow answer is counted once per millisecond it took.
//
// Here a burst of `burst` requests is due every `burst / rate` seconds, one per connection, all sent at once.
// Latency runs from when a request was due (or from its send, if a timer fired early), not from when it was
// sent late: if the client or a busy connection delays a send, the delay is counted (an open model, as wrk2
// measures).
import http from 'node:http';
import { percentile } from './percentile';

export interface BurstLoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Requests per second, all bursts together. */
  rate: number;
  /** Requests sent together, each on its own connection. */
  burst: number;
  /** Seconds measured, after `warmupSeconds` at the same rate that are not. */
  seconds: number;
  warmupSeconds: number;
}

export interface BurstLoadResult {
  /** Requests answered per second over the measured seconds. */
  rps: number;
  total: number;
  /** Milliseconds from due to answered. */
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

export async function burstLoad(o: BurstLoadOptions): Promise<BurstLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.burst });
  const target = new URL(o.url);
  const headers = { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) };
  const interval = (o.burst / o.rate) * 1000;
  const latencies: number[] = [];
  let errors = 0;

  const send = (due: number, measured: boolean) =>
    new Promise<void>((resolve) => {
      const from = Math.min(due, performance.now());
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers, agent },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            if (measured) {
              if (res.statusCode === 200) latencies.push(performance.now() - from);
              else errors++;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        if (measured) errors++;
        resolve();
      });
      req.end(o.body);
    });

  const start = performance.now();
  const warmupBursts = Math.round((o.warmupSeconds * 1000) / interval);
  const bursts = warmupBursts + Math.round((o.seconds * 1000) / interval);
  const pending: Promise<void>[] = [];
  for (let k = 0; k < bursts; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let i = 0; i < o.burst; i++) pending.push(send(due, k >= warmupBursts));
  }
  await Promise.all(pending);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (n: number) => Math.round(n * 100) / 100;
  return {
    rps: Math.round(sorted.length / o.seconds),
    total: sorted.length,
    p50: ms(percentile(sorted, 50)),
    p99: ms(percentile(sorted, 99)),
    max: ms(sorted[sorted.length - 1] ?? NaN),
    errors,
  };
}

// As a child process (bench/run.ts forks this file): options in, result out, over IPC, one run after another in
// the same process, so the client's own JIT warm-up is behind it after the first run. Its own process keeps the
// driver's heap (the sandbox and its data) and its garbage collections out of the measured latencies.
if (require.main === module) {
  process.on('message', (options: BurstLoadOptions) => {
    void burstLoad(options).then((result) => process.send?.(result));
  });
}
