// `npm run sandbox`: the Stripe-compatible sandbox alone, on SANDBOX_PORT.
import { createSandbox, SANDBOX_SECRET_KEY } from './server';

async function main(): Promise<void> {
  const raw = process.env.SANDBOX_PORT ?? '12111';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid SANDBOX_PORT: must be a port number (1-65535)`);
    process.exit(1);
  }
  const sandbox = await createSandbox({ port, host: process.env.SANDBOX_HOST ?? '127.0.0.1' });
  const url = await sandbox.listen();
  console.log(`Stripe-compatible sandbox listening on ${url}`);
  console.log(`Test secret key: ${SANDBOX_SECRET_KEY} (any sk_test_… key works)`);
  console.log(`Try: curl ${url}/v1/customers -u ${SANDBOX_SECRET_KEY}:`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
