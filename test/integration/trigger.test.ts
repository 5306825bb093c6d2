// `npm run trigger`, compiled as `npm run build` compiles it and run as the script runs it, for every event type
// the gateway registers for (read from the endpoint the gateway registered with the sandbox) and the others the
// CLI lists: each event is in /v1/events, signed and accepted at the gateway's webhook route, and partner-visible
// kinds arrive at a partner's webhook endpoint (and the account notices partners are not offered do not).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { completeSession, createCustomer } from '../helpers/linking';
import { createEndpoint } from '../helpers/partner-webhooks';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '../..');
const WEBHOOK_PATH = '/webhooks/stripe';

/** The partner event each Stripe event becomes (src/services/partner-webhooks/partner-events.ts), if any. */
const PARTNER_TYPE: Record<string, string> = {
  'financial_connections.account.created': 'financial_account.linked',
  'financial_connections.account.deactivated': 'financial_account.deactivated',
  'financial_connections.account.reactivated': 'financial_account.reactivated',
  'financial_connections.account.disconnected': 'financial_account.disconnected',
  'financial_connections.account.refreshed_balance': 'financial_account.refreshed',
  'financial_connections.account.refreshed_ownership': 'financial_account.refreshed',
  'financial_connections.account.refreshed_transactions': 'financial_account.refreshed',
  'financial_connections.account.upcoming_deactivation': 'financial_account.upcoming_deactivation',
  'payment_intent.processing': 'payment_intent.processing',
  'payment_intent.succeeded': 'payment_intent.succeeded',
  'payment_intent.payment_failed': 'payment_intent.payment_failed',
  'payment_intent.canceled': 'payment_intent.canceled',
  'payment_intent.requires_action': 'payment_intent.requires_action',
};

/**
 * Account notices the gateway subscribes to and takes in (its read cache and subscriptions see them) but does not
 * forward: partners have no event type for them.
 */
const SUBSCRIPTION_ONLY = [
  'financial_connections.account.account_numbers_updated',
  'financial_connections.account.upcoming_account_number_expiry',
  'financial_connections.account.supported_payment_method_types_updated',
];

interface Result {
  event: { id: string; type: string };
  objects: Record<string, string>;
}

describe('npm run trigger (compiled CLI, real sandbox, real gateway, real partner receiver)', () => {
  let out: string;
  let cli: string;
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let receiver: Receiver;
  let customerId: string;
  let registered: string[];
  let listed: string[];

  const trigger = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [cli, ...args, '--sandbox', sandbox.url, '--json'], {
      cwd: ROOT,
    });
    return JSON.parse(stdout) as Result;
  };

  beforeAll(async () => {
    // The project's build settings (tsconfig.build.json), limited to the CLI: dist/src/sandbox/trigger/main.js's twin.
    out = mkdtempSync(path.join(tmpdir(), 'trigger-'));
    const tsconfig = path.join(out, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: path.join(ROOT, 'tsconfig.build.json'),
        compilerOptions: {
          outDir: path.join(out, 'dist'),
          rootDir: ROOT,
          sourceMap: false,
          typeRoots: [path.join(ROOT, 'node_modules/@types')],
        },
        include: [],
        files: [path.join(ROOT, 'src/sandbox/trigger/main.ts')],
      }),
    );
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig]);
    cli = path.join(out, 'dist/src/sandbox/trigger/main.js');

    sandbox = await startSandbox({ refreshDelayMs: 50, achDelayMs: 300, deactivationDelayMs: 600_000 });
    // No STRIPE_WEBHOOK_SECRET: the gateway registers its own endpoint with the sandbox, as in `npm run dev`.
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_SECRET_KEY: sandbox.secretKey,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    receiver = await startReceiver();
    await createEndpoint(gw, PARTNER_A.apiKey, receiver.url);
    customerId = (await createCustomer(gw, PARTNER_A.apiKey, 'CUSTOMER')).id;
    const endpoints = await sandbox.stripe.webhookEndpoints.list();
    const gateway = endpoints.data.find((e) => e.url === `${gw.url}${WEBHOOK_PATH}`);
    registered = gateway?.enabled_events ?? [];
    const { stdout } = await run(process.execPath, [cli, '--list']);
    listed = stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
    await receiver?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('should list every event type the gateway registers for, and the FC, setup_intent and mandate events', () => {
    expect(registered.length).toBeGreaterThan(10);
    expect(listed).toEqual(expect.arrayContaining(registered));
    expect(listed).toEqual(
      expect.arrayContaining([
        'financial_connections.account.upcoming_deactivation',
        'financial_connections.account.account_numbers_updated',
        'financial_connections.account.upcoming_account_number_expiry',
        'financial_connections.account.supported_payment_method_types_updated',
        'setup_intent.succeeded',
        'setup_intent.requires_action',
        'setup_intent.setup_failed',
        'setup_intent.canceled',
        'mandate.updated',
      ]),
    );
  });

  it('should answer a usage error and a non-zero exit for an unknown event type', async () => {
    const failed = await run(process.execPath, [cli, 'charge.succeeded', '--sandbox', sandbox.url]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /unsupported event type charge\.succeeded; see --list/,
    );
  });

  /** Every listed type, the registered ones first. */
  const types = () => [...new Set([...registered, ...listed])];

  it('should produce each event, deliver it signed to the gateway, and to the partner when partners see it', async () => {
    const seen: string[] = [];
    const unforwarded: string[] = [];
    for (const type of types()) {
      const result = await trigger(type, '--customer', customerId);
      expect(result.event).toMatchObject({ id: expect.stringMatching(/^evt_/), type });

      // In /v1/events, through the SDK.
      const event = await sandbox.stripe.events.retrieve(result.event.id);
      expect(event.type).toBe(type);

      if (registered.includes(type)) {
        const delivery = await sandbox.sandbox.waitForDelivery(
          (d) => d.eventId === result.event.id && d.url === `${gw.url}${WEBHOOK_PATH}` && d.ok,
          30_000,
        );
        expect(delivery.status).toBe(200);
      }
      const partnerType = PARTNER_TYPE[type];
      if (partnerType && registered.includes(type)) {
        const objectId =
          (type.startsWith('payment_intent.') ? result.objects.payment_intent : result.objects.account) ?? '';
        expect(objectId).not.toBe('');
        const got = await receiver.next((r) => r.event.type === partnerType && r.body.includes(objectId));
        expect(got.event.partnerId).toBe(PARTNER_A.partnerId);
      }
      if (SUBSCRIPTION_ONLY.includes(type) && registered.includes(type))
        unforwarded.push(result.objects.account);
      seen.push(type);
    }
    expect(seen).toEqual(types());

    // The notices partners are not offered: a forwarded event about the same account, taken in after the notice,
    // fences it; the partner has by then the account's linking and that event, and nothing for the notice.
    expect(unforwarded).toHaveLength(SUBSCRIPTION_ONLY.length);
    for (const account of unforwarded) {
      await trigger('financial_connections.account.deactivated', '--account', account);
      await receiver.next(
        (r) => r.event.type === 'financial_account.deactivated' && r.body.includes(account),
      );
      const about = receiver.received.filter((r) => r.body.includes(account)).map((r) => r.event.type);
      expect(about).toEqual(['financial_account.linked', 'financial_account.deactivated']);
    }
  }, 300_000);

  it('should act on the object a flag names instead of creating one', async () => {
    const linked = await trigger('financial_connections.account.created', '--customer', customerId);
    const account = linked.objects.account;
    const deactivated = await trigger('financial_connections.account.deactivated', '--account', account);
    expect(deactivated.objects).toEqual({ account, customer: customerId });
    expect((await sandbox.stripe.financialConnections.accounts.retrieve(account)).status).toBe('inactive');

    // A debit that stays processing (the "Always Processing" test account) until the trigger returns it.
    const session = await sandbox.stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer: customerId },
      permissions: ['payment_method'],
    });
    const [always] = (await completeSession(sandbox, session.id, { accounts: ['processing'] })).accounts.data;
    const processing = await trigger('payment_intent.processing', '--account', always.id);
    const pi = processing.objects.payment_intent;
    expect(processing.objects).toMatchObject({ account: always.id, customer: customerId });
    const failed = await trigger(
      'payment_intent.payment_failed',
      '--payment-intent',
      pi,
      '--failure-code',
      'no_account',
    );
    expect(failed.objects.payment_intent).toBe(pi);
    const after = await sandbox.stripe.paymentIntents.retrieve(pi);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.code).toBe('no_account');
  });
});
