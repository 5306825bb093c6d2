// The Stripe objects the sandbox stores and returns (the fields of the OpenAPI subset it fills in).

export type Metadata = Record<string, string>;

export interface Customer {
  id: string;
  object: 'customer';
  address: Record<string, string | null> | null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: string | null;
  delinquent: boolean;
  description: string | null;
  discount: null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: {
    custom_fields: null;
    default_payment_method: string | null;
    footer: null;
    rendering_options: null;
  };
  livemode: false;
  metadata: Metadata;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: 'none' | 'exempt' | 'reverse';
  test_clock: null;
}

export interface V2Account {
  id: string;
  object: 'v2.core.account';
  applied_configurations: string[];
  closed: boolean;
  configuration: { customer?: Record<string, unknown>; merchant?: unknown; recipient?: unknown } | null;
  contact_email: string | null;
  contact_phone: string | null;
  created: string;
  dashboard: string | null;
  defaults: Record<string, unknown> | null;
  display_name: string | null;
  identity: Record<string, unknown> | null;
  livemode: false;
  metadata: Metadata;
  requirements: null;
  future_requirements: null;
}

export type RefreshStatus = 'pending' | 'succeeded' | 'failed';

export interface RefreshState {
  status: RefreshStatus;
  last_attempted_at: number;
  next_refresh_available_at: number | null;
}

export interface TransactionRefreshState extends RefreshState {
  id: string;
}

export interface FcBalance {
  as_of: number;
  type: 'cash' | 'credit';
  current: Record<string, number>;
  cash?: { available: Record<string, number> | null };
  credit?: { used: Record<string, number> | null };
}

export interface AccountNumber {
  identifier_type: 'account_number' | 'tokenized_account_number';
  status: 'deactivated' | 'transactable';
  supported_networks: ['ach'];
  expected_expiry_date: number | null;
}

export type Permission = 'balances' | 'ownership' | 'payment_method' | 'transactions';

export interface FcAccount {
  id: string;
  object: 'financial_connections.account';
  account_holder: {
    type: 'customer' | 'account';
    customer?: string;
    customer_account?: string;
    account?: string;
  } | null;
  account_numbers: AccountNumber[] | null;
  balance: FcBalance | null;
  balance_refresh: RefreshState | null;
  category: 'cash' | 'credit' | 'investment' | 'other';
  created: number;
  display_name: string | null;
  institution_name: string;
  last4: string | null;
  livemode: false;
  ownership: string | null;
  ownership_refresh: RefreshState | null;
  permissions: Permission[];
  status: 'active' | 'inactive' | 'disconnected';
  status_details: {
    active?: {
      action: 'none' | 'relink_required';
      cause: 'access_expired' | 'institution_requirement' | 'unspecified';
      expected_deactivation_date: number;
    };
  };
  subcategory: 'checking' | 'credit_card' | 'line_of_credit' | 'mortgage' | 'other' | 'savings';
  subscriptions: 'transactions'[];
  supported_payment_method_types: ('link' | 'us_bank_account')[];
  transaction_refresh: TransactionRefreshState | null;
}

export interface FcSession {
  id: string;
  object: 'financial_connections.session';
  account_holder: FcAccount['account_holder'];
  client_secret: string;
  filters: {
    countries: string[] | null;
    account_subcategories?: string[] | null;
    require_payment_method_support?: string;
  };
  limits: { accounts: number };
  livemode: false;
  manual_entry: { mode: 'automatic' | 'disabled' };
  permissions: Permission[];
  prefetch: ('balances' | 'ownership' | 'transactions')[] | null;
  return_url?: string;
}

export interface AccountOwner {
  id: string;
  object: 'financial_connections.account_owner';
  email: string | null;
  name: string;
  ownership: string;
  phone: string | null;
  raw_address: string | null;
  refreshed_at: number | null;
}

export interface FcTransaction {
  id: string;
  object: 'financial_connections.transaction';
  account: string;
  amount: number;
  currency: string;
  description: string;
  livemode: false;
  status: 'pending' | 'posted' | 'void';
  status_transitions: { posted_at: number | null; void_at: number | null };
  transacted_at: number;
  transaction_refresh: string;
  updated: number;
}

export interface ApiErrorObject {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  code?: string;
  decline_code?: string;
  message?: string;
  doc_url?: string;
  payment_method?: Record<string, unknown>;
  payment_method_type?: string;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: false;
  metadata: Metadata;
  status: 'enabled' | 'disabled';
  url: string;
}
