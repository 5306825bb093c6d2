// Reads config, starts the embedded sandbox when there is no upstream, starts the gateway. Nothing else.
import 'reflect-metadata';
import { createGateway } from './app';
import { UPSTREAM_MODE_LABEL } from './services/stripe/upstream-identity';
import { ConfigError, parseConfig, type Config } from './platform/config';
// The composition root is the one place that may start the sandbox in-process; the gateway modules never import it.
import { createSandbox } from './sandbox/server';

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const line of e.problems) console.error(line);
      process.exit(1);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = config.sandboxMode ? await createSandbox({ port: config.sandboxPort }) : undefined;
  const sandboxUrl = sandbox ? await sandbox.listen() : undefined;
  const gateway = await createGateway(config).catch((e: unknown) => {
    if (!(e instanceof ConfigError)) throw e;
    for (const line of e.problems) console.error(line);
    process.exit(1);
  });
  // Before listening: a signal that arrives once the endpoint is printed (or while it starts) finds its handler.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.log.info({ signal }, 'shutting down');
    await gateway.close();
    await sandbox?.close();
    process.exit(0);
  };
  // A rejection nobody handles, once the gateway runs, is logged (scrubbed like every log line), not fatal. Why: such a
  // rejection comes from inside a library (ioredis re-subscribing while its connection closes, for one) and concerns
  // no request; Node's default would end the process, and every open socket and queued webhook with it.
  process.on('unhandledRejection', (reason) =>
    gateway.log.error({ err: reason }, 'unhandled promise rejection (the gateway goes on)'),
  );
  // SIGHUP re-reads PARTNER_KEYS_FILE (adding, rotating or removing partners without a restart; docs/deploying.md).
  process.on('SIGHUP', () => void gateway.reloadPartners());
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const url = await gateway.listen();

  gateway.log.info(
    {
      url: `${url}/graphql`,
      sandbox: sandboxUrl,
      mode: gateway.mode,
      stripeApiVersion: config.stripe.apiVersion,
      stripeV2ApiVersion: config.stripe.v2ApiVersion,
      demo: gateway.demo,
      trustProxy: config.trustProxy,
    },
    'gateway listening',
  );
  // One line saying what this process talks to (docs/configuration.md, Modes).
  console.log(
    `Mode: ${UPSTREAM_MODE_LABEL[gateway.mode]} (Stripe-Version ${config.stripe.apiVersion}, v2 ${config.stripe.v2ApiVersion}; demo ${gateway.demo ? 'on' : 'off'})`,
  );
  // Where payments are followed until they settle (src/services/live/payment-follow-up.ts).
  console.log(
    gateway.live.followUp.transport === 'redis'
      ? 'Payment follow-up: in Redis (survives restarts; one instance looks at a time)'
      : 'Payment follow-up: in memory (lost on restart; set REDIS_URL to keep it)',
  );
  // Printed for people, not parsed: the first thing README tells you to look for.
  console.log(`\nGraphQL endpoint:  ${url}/graphql  (WebSocket: ${url.replace('http', 'ws')}/graphql)`);
  console.log(`GraphQL IDE:       ${url}/graphql  (open it in a browser)`);
  if (gateway.demo) console.log(`Demo app:          ${url}/demo`);
  if (sandboxUrl) console.log(`Embedded Stripe sandbox: ${sandboxUrl}  (no Stripe account needed)`);
  if (gateway.demo && !process.env.PARTNER_KEYS && config.partners[0]?.partnerId === 'demo') {
    console.log(
      `Demo partner key: ${config.partners[0].apiKey}   (send: Authorization: Bearer ${config.partners[0].apiKey})`,
    );
  }
}

main().catch((e: unknown) => {
  console.error('gateway failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
