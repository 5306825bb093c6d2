// Renders the generated blocks of docs/deploying.md (Stripe event types, `stripe listen` line, restricted-key
// permissions) from the code: the webhook handlers' event list and the Stripe resources the gateway calls.
import { fillBlocks } from './docs/generated-blocks';
import { SUBSCRIBED_EVENT_TYPES } from './services/live/webhook-events.service';

/** One permission of a restricted key (Stripe Dashboard → Developers → API keys → restricted key). */
export interface StripePermission {
  resource: string;
  access: 'read' | 'write';
  /** Route prefixes (as `METHOD /v1/…`-less paths, OpenAPI placeholders kept) this permission covers. */
  paths: readonly string[];
  why: string;
}

/**
 * The Stripe resources the gateway calls (src/services/stripe, src/services/live). Every endpoint the
 * outbound-conformance run records (test/integration/outbound-conformance.test.ts) must fall under one of these,
 * a write endpoint under a `write` permission (test/unit/deploy-docs.test.ts).
 */
export const STRIPE_PERMISSIONS: readonly StripePermission[] = [
  {
    resource: 'Customers',
    access: 'write',
    paths: ['/v1/customers'],
    why: 'creates customers, reads them and searches them by email',
  },
  {
    resource: 'Events',
    access: 'read',
    paths: ['/v1/events'],
    why: 'catch-up: reads back the events a subscriber may have missed',
  },
  {
    resource: 'Financial Connections: Accounts',
    access: 'write',
    paths: ['/v1/financial_connections/accounts'],
    why: 'reads accounts and owners; refresh, subscribe, unsubscribe, disconnect',
  },
  {
    resource: 'Financial Connections: Sessions',
    access: 'write',
    paths: ['/v1/financial_connections/sessions'],
    why: 'creates the sessions that link accounts',
  },
  {
    resource: 'Financial Connections: Transactions',
    access: 'read',
    paths: ['/v1/financial_connections/transactions'],
    why: 'reads transactions',
  },
  {
    resource: 'Mandates',
    access: 'read',
    paths: ['/v1/mandates'],
    why: 'checks a saved account’s mandate before an off-session debit',
  },
  {
    resource: 'PaymentIntents',
    access: 'write',
    paths: ['/v1/payment_intents'],
    why: 'creates, confirms, cancels payments; verifies microdeposits',
  },
  {
    resource: 'PaymentMethods',
    access: 'write',
    paths: ['/v1/payment_methods', '/v1/customers/{customer}/payment_methods'],
    why: 'lists and reads saved bank accounts; detaches them',
  },
  {
    resource: 'SetupIntents',
    access: 'write',
    paths: ['/v1/setup_intents'],
    why: 'saves bank accounts for later payments; verifies microdeposits',
  },
  {
    resource: 'Webhook Endpoints',
    access: 'write',
    paths: ['/v1/webhook_endpoints'],
    why: 'only against a sandbox (the gateway registers its own endpoint there); not needed with a live key',
  },
];

/** The permission a recorded endpoint (`GET /v1/customers/{customer}`) falls under: the longest matching path. */
export function permissionOf(endpoint: string): StripePermission | undefined {
  const path = endpoint.slice(endpoint.indexOf(' ') + 1);
  let best: { permission: StripePermission; length: number } | undefined;
  for (const permission of STRIPE_PERMISSIONS)
    for (const prefix of permission.paths)
      if ((path === prefix || path.startsWith(`${prefix}/`)) && prefix.length > (best?.length ?? -1))
        best = { permission, length: prefix.length };
  return best?.permission;
}

type Block = 'stripe-events' | 'stripe-listen' | 'stripe-permissions';

/** The lines of each generated block, from the given event types and permissions (the code's, unless a test plants others). */
export function renderBlocks(
  eventTypes: readonly string[] = SUBSCRIBED_EVENT_TYPES,
  permissions: readonly StripePermission[] = STRIPE_PERMISSIONS,
): Record<Block, string> {
  return {
    'stripe-events': eventTypes.map((t) => `- \`${t}\``).join('\n'),
    'stripe-listen': [
      '```sh',
      'stripe listen --forward-to localhost:4000/webhooks/stripe \\',
      `  --events '${eventTypes.join(',')}'`,
      '# prints "Your webhook signing secret is whsec_…": start the gateway with it',
      'STRIPE_WEBHOOK_SECRET=whsec_… STRIPE_SECRET_KEY=sk_test_… npm start',
      '```',
    ].join('\n'),
    'stripe-permissions': [
      '| resource | access | what for |',
      '| --- | --- | --- |',
      ...permissions.map((p) => `| ${p.resource} | ${p.access} | ${p.why} |`),
    ].join('\n'),
  };
}

/** The page with every marked block rewritten (src/docs/generated-blocks.ts); throws when a block's markers are missing. */
export function renderDeployDoc(page: string, blocks: Record<Block, string> = renderBlocks()): string {
  return fillBlocks(page, blocks, 'docs/deploying.md');
}
