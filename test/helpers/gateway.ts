// startGateway(): a real gateway on an ephemeral port, its captured log lines and its Stripe request counter.
import { Writable } from 'node:stream';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/app';
import { parseConfig } from '../../src/platform/config';

export interface StartedGateway {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  gateway: Gateway;
  /** Every log line written so far (JSON strings), to scan for secrets. */
  logs: string[];
  /** HTTP requests this gateway has sent to Stripe so far. */
  stripeRequests(): number;
  /** Sequential waves of Stripe calls so far (StripeClient.waveCount). */
  stripeWaves(): number;
  close(): Promise<void>;
}

export const PARTNER_A = { partnerId: 'partner_a', apiKey: 'key_partner_a_0123456789' };
export const PARTNER_B = { partnerId: 'partner_b', apiKey: 'key_partner_b_0123456789' };
export const TEST_TOKEN_SECRET = 'test-token-secret-0123456789abcdef0123456789';

/**
 * @param env environment overrides; `STRIPE_API_BASE` should point at a started sandbox.
 * Defaults: two partners (A and B), a fixed TOKEN_SECRET, LOG_LEVEL=debug captured in memory.
 */
export async function startGateway(
  env: Record<string, string | undefined>,
  /**
   * Gateway options (e.g. `resolveWebhookHost`), plus `awaitCatchUp: false` for an upstream that never answers
   * (the start-up catch-up would wait its deadline).
   */
  options: Omit<GatewayOptions, 'logDestination'> & { awaitCatchUp?: boolean } = {},
): Promise<StartedGateway> {
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    PARTNER_KEYS: [PARTNER_A, PARTNER_B].map((p) => `${p.partnerId}:${p.apiKey}`).join(','),
    TOKEN_SECRET: TEST_TOKEN_SECRET,
    // Suites send hundreds of bad credentials from 127.0.0.1 on purpose; the failure limit has its own test.
    AUTH_FAILURES_PER_MINUTE: '100000',
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const { awaitCatchUp, ...gatewayOptions } = options;
  const gateway = await createGateway(config, { ...gatewayOptions, logDestination: destination });
  const url = await gateway.listen();
  // The start-up catch-up (GET /v1/events) runs in the background; let it finish so tests count from a quiet upstream.
  if (awaitCatchUp !== false) await gateway.live.catchUp.run();
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `${url.replace('http', 'ws')}/graphql`,
    gateway,
    logs,
    stripeRequests: () => gateway.stripeClient.requestCount(),
    stripeWaves: () => gateway.stripeClient.waveCount(),
    close: () => gateway.close(),
  };
}
