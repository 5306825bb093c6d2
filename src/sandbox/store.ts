// The sandbox's state: every object by id, in creation order, plus the id generator and the clock.
// One Store per sandbox instance; nothing is shared between instances.
import { randomBytes } from 'node:crypto';
import { Clock, Timers } from './clock';
import { base62, Rng } from './random';
import type {
  AccountOwner,
  Customer,
  FcAccount,
  FcSession,
  FcTransaction,
  StripeEvent,
  V2Account,
  WebhookEndpoint,
} from './types';
import type { AccountTemplate, AchOutcome } from './institutions';

/** Objects of one kind, by id, remembering insertion order (Stripe lists newest first). */
export class Collection<T extends { id: string }> {
  private readonly byId = new Map<string, T>();
  private order: string[] = [];

  insert(obj: T): T {
    if (!this.byId.has(obj.id)) this.order.push(obj.id);
    this.byId.set(obj.id, obj);
    return obj;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  delete(id: string): void {
    if (this.byId.delete(id)) this.order = this.order.filter((x) => x !== id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Newest first. */
  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) out.push(this.byId.get(this.order[i]) as T);
    return out;
  }
}

/** A linked account's sandbox-only facts: where it came from and how it behaves. */
export interface FcAccountRecord {
  account: FcAccount;
  sessionId: string;
  institutionId: string;
  template: AccountTemplate;
  /** Sorted newest first (transacted_at desc, then creation order desc). */
  transactions: FcTransaction[];
  /** Transactions loaded so far from the account's history (the seed is consumed in order). */
  historyLoaded: boolean;
  owners: AccountOwner[];
  refreshTimers: Partial<Record<'balance' | 'ownership' | 'transactions', NodeJS.Timeout>>;
  /** How many refreshes of each feature have completed (drives new seeded data on later refreshes). */
  refreshCount: number;
}

export interface TransactionRefreshRecord {
  id: string;
  accountId: string;
  seq: number;
}

export type Obj = Record<string, unknown>;

export interface StoredIntent extends Obj {
  id: string;
  object: 'payment_intent' | 'setup_intent';
  status: string;
}

/** How a us_bank_account PaymentMethod was verified (sandbox-only facts; Stripe shows none of them). */
export interface BankAccountState {
  /** `instant`: through Financial Connections; `pending`: waiting for microdeposits; `microdeposits`: verified by them. */
  verification: 'instant' | 'pending' | 'microdeposits';
  /** Detached from its customer: Stripe refuses to use it again. */
  detached: boolean;
  /** Failed microdeposit verification: it can no longer be verified or used. */
  blocked: boolean;
  /** How debits from it end (Stripe's test account numbers). */
  outcome: AchOutcome;
}

/** A microdeposit verification under way for one intent (docs/stripe-facts.md §6). */
export interface MicrodepositVerification {
  intentId: string;
  object: 'payment_intent' | 'setup_intent';
  type: 'amounts' | 'descriptor_code';
  /** Wrong values submitted so far. */
  failures: number;
  /** The path part of `hosted_verification_url` (unguessable). */
  token: string;
  paymentMethod: string;
  mandate: string;
  /** After this time (ten days after the deposits arrive) verification fails with a timeout. */
  expiresAt: number;
}

export interface WebhookEndpointRecord extends WebhookEndpoint {
  /** Never rendered except on creation. */
  secret: string;
}

export interface StoreOptions {
  seed: number | string;
  refreshDelayMs: number;
  achDelayMs: number;
  refreshCooldownSeconds: number;
  transactionsPerAccount: number;
  deactivationDelayMs: number;
}

export class Store {
  readonly clock = new Clock();
  readonly timers = new Timers();
  readonly rng: Rng;

  readonly customers = new Collection<Customer>();
  readonly deletedCustomers = new Set<string>();
  readonly v2Accounts = new Collection<V2Account>();
  readonly sessions = new Collection<FcSession>();
  /** Accounts linked through each session, in link order. */
  readonly sessionAccounts = new Map<string, string[]>();
  /** Sessions completed (or cancelled) can't be completed again. */
  readonly sessionState = new Map<string, 'open' | 'completed' | 'cancelled'>();
  readonly fcAccounts = new Collection<FcAccountRecord & { id: string }>();
  readonly ownerships = new Map<string, { id: string; accountId: string; created: number }>();
  readonly transactionIndex = new Map<string, FcTransaction>();
  readonly transactionRefreshes = new Map<string, TransactionRefreshRecord>();
  readonly paymentMethods = new Collection<Obj & { id: string }>();
  readonly mandates = new Collection<Obj & { id: string }>();
  /** Sandbox-only state of each us_bank_account PaymentMethod, by id. */
  readonly bankAccounts = new Map<string, BankAccountState>();
  /** Microdeposit verifications by intent id, and the intent of each hosted verification page token. */
  readonly microdeposits = new Map<string, MicrodepositVerification>();
  readonly microdepositTokens = new Map<string, string>();
  readonly paymentIntents = new Collection<StoredIntent>();
  readonly setupIntents = new Collection<StoredIntent>();
  readonly events = new Collection<StripeEvent>();
  readonly webhookEndpoints = new Collection<WebhookEndpointRecord>();
  /** ACH settlement timers by intent id, so cancel can stop them. */
  readonly intentTimers = new Map<string, NodeJS.Timeout>();

  private refreshSeq = 0;
  /** Set by the server: records an event and hands it to webhook delivery. */
  emit: (
    type: string,
    object: Obj,
    request?: { id: string | null; idempotency_key: string | null },
    previousAttributes?: Obj,
  ) => StripeEvent = () => {
    throw new Error('Store.emit is wired by createSandbox()');
  };

  constructor(readonly options: StoreOptions) {
    this.rng = new Rng(options.seed);
  }

  /** `cus_…`-style ids from the seeded generator. */
  id(prefix: string, length = 14): string {
    return `${prefix}_${base62(this.rng, length)}`;
  }

  /** Secrets come from the OS generator, never from the seed: they must not be guessable. */
  secret(prefix: string, length = 24): string {
    const bytes = randomBytes(length);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let out = '';
    for (const b of bytes) out += alphabet[b % 62];
    return `${prefix}${out}`;
  }

  nextRefreshSeq(): number {
    this.refreshSeq += 1;
    return this.refreshSeq;
  }

  findSessionByClientSecret(clientSecret: string): FcSession | undefined {
    for (const s of this.sessions.newestFirst()) if (s.client_secret === clientSecret) return s;
    return undefined;
  }

  /** The object behind any id the API can expand, or undefined. */
  lookup(id: string): Obj | undefined {
    const prefix = id.slice(0, id.indexOf('_'));
    switch (prefix) {
      case 'cus':
        return this.customers.get(id) as Obj | undefined;
      case 'fca':
        return this.fcAccounts.get(id)?.account as Obj | undefined;
      case 'fcsess':
        return this.sessions.get(id) as Obj | undefined;
      case 'pm':
        return this.paymentMethods.get(id);
      case 'mandate':
        return this.mandates.get(id);
      case 'pi':
        return this.paymentIntents.get(id);
      case 'seti':
        return this.setupIntents.get(id);
      default:
        return undefined;
    }
  }

  close(): void {
    this.timers.close();
  }
}
