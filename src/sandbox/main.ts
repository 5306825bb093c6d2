// `npm run sandbox`: the Stripe-compatible sandbox alone, on SANDBOX_PORT.
// SANDBOX_WEBHOOK_URL (+ optional SANDBOX_WEBHOOK_SECRET, a whsec_ secret) registers a webhook endpoint at start-up.
// SANDBOX_FAULT_SEED fixes which requests injected faults hit; the seed in use is printed either way.
import { MAX_FAULT_SEED } from './faults';
import { createSandbox, SANDBOX_SECRET_KEY, type SandboxOptions } from './server';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function intEnv(name: string, min: number, max: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`Invalid ${name}: must be an integer (${min}-${max})`);
  return n;
}

async function main(): Promise<void> {
  const port = intEnv('SANDBOX_PORT', 0, 65535) ?? 12111;
  const webhookUrl = process.env.SANDBOX_WEBHOOK_URL;
  const webhookSecret = process.env.SANDBOX_WEBHOOK_SECRET;
  if (webhookUrl) {
    try {
      new URL(webhookUrl);
    } catch {
      fail('Invalid SANDBOX_WEBHOOK_URL: must be an absolute http(s) URL');
    }
  }
  if (webhookSecret && !webhookSecret.startsWith('whsec_'))
    fail('Invalid SANDBOX_WEBHOOK_SECRET: must start with whsec_');
  const options: SandboxOptions = {
    port,
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    refreshDelayMs: intEnv('SANDBOX_REFRESH_DELAY_MS', 0, 600_000),
    achDelayMs: intEnv('SANDBOX_ACH_DELAY_MS', 0, 600_000),
    transactionsPerAccount: intEnv('SANDBOX_TRANSACTIONS_PER_ACCOUNT', 0, 1_000_000),
    ...(process.env.SANDBOX_SEED ? { seed: process.env.SANDBOX_SEED } : {}),
    rateLimit: process.env.SANDBOX_MAX_RPS
      ? { requestsPerSecond: intEnv('SANDBOX_MAX_RPS', 1, 100_000)! }
      : null,
    ...(webhookUrl ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
    faults: { seed: intEnv('SANDBOX_FAULT_SEED', 0, MAX_FAULT_SEED) },
  };
  const sandbox = await createSandbox(options);
  const url = await sandbox.listen();
  console.log(`Stripe-compatible sandbox listening on ${url}`);
  console.log(`Test secret key: ${SANDBOX_SECRET_KEY} (any sk_test_… key works)`);
  console.log(
    `Fault seed: ${sandbox.getFaults().seed} (faults are off until POST /v1/test_helpers/sandbox/faults; SANDBOX_FAULT_SEED replays a seed)`,
  );
  console.log(`Try: curl ${url}/v1/customers -u ${SANDBOX_SECRET_KEY}:`);
  if (webhookUrl)
    console.log(
      `Webhooks: every event is POSTed to ${webhookUrl}${webhookSecret ? ' (signed with SANDBOX_WEBHOOK_SECRET)' : ''}`,
    );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
