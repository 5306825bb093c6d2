// startSandbox(): a real sandbox on an ephemeral port, plus a stripe-node client pointed at it.
import Stripe from 'stripe';
import {
  createSandbox,
  SANDBOX_SECRET_KEY,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/server';

export interface StartedSandbox {
  url: string;
  secretKey: string;
  sandbox: Sandbox;
  /** The official SDK, unmodified, talking HTTP to the sandbox. */
  stripe: Stripe;
  close(): Promise<void>;
}

/** Builds a stripe-node client for a Stripe-compatible base URL (no retries unless asked: tests count requests). */
export function stripeFor(
  url: string,
  secretKey = SANDBOX_SECRET_KEY,
  config: Stripe.StripeConfig = {},
): Stripe {
  const u = new URL(url);
  return new Stripe(secretKey, {
    host: u.hostname,
    port: Number(u.port),
    protocol: u.protocol.replace(':', '') as 'http',
    telemetry: false,
    maxNetworkRetries: 0,
    ...config,
  });
}

export async function startSandbox(options: Omit<SandboxOptions, 'port'> = {}): Promise<StartedSandbox> {
  const sandbox = await createSandbox({ ...options, port: 0 });
  const url = await sandbox.listen();
  return {
    url,
    secretKey: SANDBOX_SECRET_KEY,
    sandbox,
    stripe: stripeFor(url),
    close: () => sandbox.close(),
  };
}
