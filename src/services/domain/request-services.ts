// Builds the services one GraphQL operation uses, each with its own DataLoaders.
import type { Caller } from '../auth/auth';
import type { Authenticator } from '../auth/auth';
import type { StripeClient } from '../stripe/stripe-client';
import type { Logger } from '../../platform/logger';
import type { Config } from '../../platform/config';
import { createPassThroughReadStore, type StripeReadStore } from '../stripe/stripe-reads';
import { createLoaders } from '../stripe/loaders';
import { OwnershipService } from './ownership.service';
import { CustomersService } from './customers.service';
import { FinancialAccountsService } from './financial-accounts.service';
import { SessionsService } from './sessions.service';
import { TransactionsService } from './transactions.service';
import { PaymentIntentsService } from './payment-intents.service';
import { SetupIntentsService } from './setup-intents.service';
import { PaymentMethodsService } from './payment-methods.service';
import type { ServiceBase } from './service-base';
import type { LiveSubscriptions } from '../live/live-subscriptions';
import { SyncCursorCodec } from './sync-cursor';
import { TransactionSyncService } from './transaction-sync.service';
import type { PartnerWebhooks } from '../partner-webhooks/partner-webhooks.service';

/** Process-wide dependencies the per-request services are built from. */
export interface ServiceDeps {
  stripeClient: StripeClient;
  authenticator: Authenticator;
  log: Logger;
  /** Settings some services read (returnUrl policy). Absent: production rules, any https host. */
  config?: Pick<Config, 'production' | 'returnUrlHosts'>;
  /** Tenant-scoped Stripe read cache. Absent: pass-through. */
  readStore?: StripeReadStore;
  /** Live events for subscription resolvers. Absent: subscriptions refuse to start. */
  live?: LiveSubscriptions;
  /** Seals transactionUpdates cursors; one per process, from a secret all instances share (sync-cursor.ts). */
  syncCursors?: SyncCursorCodec;
  /** Partner webhook endpoints and deliveries. Absent: the webhook fields answer INTERNAL_SERVER_ERROR. */
  partnerWebhooks?: PartnerWebhooks;
  /**
   * Follows a payment until it settles (live/payment-follow-up.ts). For debits created and confirmed in one request,
   * whose id is not in the request path the follow-up watches. Absent: webhooks and event catch-up only.
   */
  followPayment?: (paymentIntentId: string) => void;
}

export interface RequestServices {
  authenticator: Authenticator;
  /** Live events (subscriptions); the process-wide bus, not per request. */
  live?: LiveSubscriptions;
  /** Partner webhooks; process-wide, checks the caller on every call. */
  partnerWebhooks?: PartnerWebhooks;
  caller: Caller;
  // No Stripe client, read seam or loaders here: resolvers reach Stripe only through the services below
  // (.dependency-cruiser.cjs, resolvers-call-domain-only); the services share them through ServiceBase.
  /** Tenancy checks: every object traced to its customer and partner. */
  ownership: OwnershipService;
  customers: CustomersService;
  financialAccounts: FinancialAccountsService;
  sessions: SessionsService;
  transactions: TransactionsService;
  transactionSync: TransactionSyncService;
  paymentIntents: PaymentIntentsService;
  setupIntents: SetupIntentsService;
  paymentMethods: PaymentMethodsService;
}

const passThrough = createPassThroughReadStore();
/** Without deps.syncCursors (unit setups): cursors valid in this process only. */
let processCursors: SyncCursorCodec | undefined;

/** Called once per HTTP operation and once per subscription event: loaders never outlive it. */
export function createRequestServices(deps: ServiceDeps, caller: Caller): RequestServices {
  // Calls on behalf of this partner take its fair share of the Stripe budget.
  const stripe = deps.stripeClient.forTenant?.(caller.partnerId) ?? deps.stripeClient.stripe;
  const reads = (deps.readStore ?? passThrough).forTenant(caller.partnerId);
  const loaders = createLoaders(stripe, reads);
  const ownership = new OwnershipService(caller, loaders);
  const base: ServiceBase = { stripe, caller, reads, loaders, ownership };
  const paymentMethods = new PaymentMethodsService(base);
  return {
    authenticator: deps.authenticator,
    live: deps.live,
    partnerWebhooks: deps.partnerWebhooks,
    caller,
    ownership,
    customers: new CustomersService(base),
    financialAccounts: new FinancialAccountsService(base),
    sessions: new SessionsService(base, {
      production: deps.config?.production ?? true,
      returnUrlHosts: deps.config?.returnUrlHosts ?? [],
    }),
    transactions: new TransactionsService(base),
    transactionSync: new TransactionSyncService(
      base,
      deps.syncCursors ?? (processCursors ??= new SyncCursorCodec()),
    ),
    paymentIntents: new PaymentIntentsService(base, paymentMethods, deps.followPayment),
    setupIntents: new SetupIntentsService(base),
    paymentMethods,
  };
}
