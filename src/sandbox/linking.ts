// Completing a Financial Connections session: what happens when the account holder finishes (or leaves) the
// hosted flow. Shared by the sandbox-only helper POST /v1/test_helpers/financial_connections/sessions/{id}/complete
// and by the hosted linking UI (auth-flow/), so both link accounts the same way.
import {
  DEFAULT_INSTITUTION_ID,
  findInstitution,
  MANUAL_ENTRY_INSTITUTION,
  manualEntryTemplate,
  TEST_ROUTING_NUMBER,
  type AccountTemplate,
  type Institution,
} from './institutions';
import {
  announceAccountNumberExpiry,
  announceUpcomingDeactivation,
  updateAccountNumbers,
} from './account-notices';
import { prefetch, type Feature } from './refresh';
import { renderAccount, renderSession } from './render';
import type { FcAccountRecord, Obj, Store } from './store';
import type { AccountNumber, FcAccount, FcSession } from './types';

export interface CompleteSessionOptions {
  /** Institution id (`fcinst_…`), name or former name. @default DEFAULT_INSTITUTION_ID, "Test (Non-OAuth)" */
  institution?: string;
  /** Account template keys (see institutions.ts). @default the institution's defaultAccounts */
  accounts?: string[];
  /**
   * `institution_name` of the new accounts when a bank from the searchable directory is simulated by a test
   * institution (the hosted flow); relinked accounts keep theirs. @default the institution's name
   */
  institutionName?: string;
  /** The holder left the flow: the session completes with no accounts. */
  cancel?: boolean;
  /**
   * The holder typed in the account details instead of picking a bank (only when the session's
   * `manual_entry[mode]` is `automatic`): one account, verified by microdeposits when it pays.
   */
  manualEntry?: { accountNumber: string; routingNumber: string; accountType?: 'checking' | 'savings' };
  /** The API request that caused it (recorded on the events). */
  request?: { id: string | null; idempotency_key: string | null };
}

/** Why linking failed; `code` is stable, the helper route returns it as a 400 `invalid_request_error`. */
export class LinkingError extends Error {
  constructor(
    readonly code:
      | 'resource_missing'
      | 'session_already_completed'
      | 'institution_not_found'
      | 'institution_down'
      | 'account_not_found'
      | 'no_accounts_selected'
      | 'manual_entry_disabled'
      | 'routing_number_invalid'
      | 'account_number_invalid',
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export interface CompletedSession {
  /** The session as the API returns it, with `accounts`. */
  session: Obj;
  accounts: FcAccount[];
}

const DAY = 86_400;

/**
 * Links the chosen accounts of an institution to the session (or cancels it) and emits one
 * `financial_connections.account.created` per account. Throws LinkingError; changes nothing when it throws.
 */
export function completeSession(
  store: Store,
  sessionId: string,
  options: CompleteSessionOptions = {},
): CompletedSession {
  const session = store.sessions.get(sessionId);
  if (!session)
    throw new LinkingError(
      'resource_missing',
      `No such financial_connections.session: '${sessionId}'`,
      'session',
    );
  if (store.sessionState.get(sessionId) !== 'open')
    throw new LinkingError(
      'session_already_completed',
      `The session ${sessionId} has already been completed.`,
    );
  if (options.cancel) {
    store.sessionState.set(sessionId, 'cancelled');
    store.sessionAccounts.set(sessionId, []);
    return { session: renderSession(store, session), accounts: [] };
  }
  if (options.manualEntry) return linkManualEntry(store, session, options.manualEntry, options.request);
  const institution = findInstitution(options.institution ?? DEFAULT_INSTITUTION_ID);
  if (!institution)
    throw new LinkingError(
      'institution_not_found',
      `No such institution: '${String(options.institution).slice(0, 80)}'`,
      'institution',
    );
  if (institution.down)
    throw new LinkingError(
      'institution_down',
      institution.down === 'scheduled'
        ? `${institution.name} is down for scheduled maintenance. Try another institution.`
        : institution.down === 'unscheduled'
          ? `${institution.name} is currently unavailable. Try another institution.`
          : `${institution.name} returned an unknown error. Try another institution.`,
      'institution',
    );
  const keys =
    options.accounts && options.accounts.length > 0 ? options.accounts : institution.defaultAccounts;
  const templates: AccountTemplate[] = [];
  for (const key of keys) {
    const t = institution.accounts.find((a) => a.key === key);
    if (!t)
      throw new LinkingError(
        'account_not_found',
        `${institution.name} has no test account '${String(key).slice(0, 80)}'.`,
        'accounts',
      );
    if (!templates.includes(t)) templates.push(t);
  }
  const allowed = session.filters.account_subcategories;
  const chosen = templates
    .filter((t) => !allowed || allowed.length === 0 || allowed.includes(t.subcategory))
    .slice(0, session.limits.accounts);
  if (chosen.length === 0)
    throw new LinkingError(
      'no_accounts_selected',
      'None of the selected accounts match the session filters.',
      'accounts',
    );

  const linked: FcAccount[] = [];
  for (const template of chosen) {
    const relinked = findInactiveToRelink(store, session, institution, template);
    const rec = relinked ?? createAccount(store, session, institution, template, options.institutionName);
    if (relinked) reactivate(store, relinked);
    linked.push(rec.account);
  }
  store.sessionState.set(sessionId, 'completed');
  store.sessionAccounts.set(
    sessionId,
    linked.map((a) => a.id),
  );
  for (const acc of linked)
    store.emit('financial_connections.account.created', renderAccount(store, acc.id)!, options.request);
  // Prefetched data is loaded synchronously at link time (refresh states already `succeeded`/`failed`), and no
  // refreshed_* events are sent for it: the gateway keys refresh completions by `last_attempted_at` (seconds),
  // so a prefetch event would swallow a manual refresh started in the same second.
  for (const acc of linked) scheduleLifecycle(store, store.fcAccounts.get(acc.id)!);
  return {
    session: renderSession(store, session),
    accounts: linked.map((a) => renderAccount(store, a.id) as unknown as FcAccount),
  };
}

function linkManualEntry(
  store: Store,
  session: FcSession,
  entry: NonNullable<CompleteSessionOptions['manualEntry']>,
  request: CompleteSessionOptions['request'],
): CompletedSession {
  if (session.manual_entry.mode !== 'automatic')
    throw new LinkingError(
      'manual_entry_disabled',
      `The session ${session.id} does not allow manual entry (manual_entry[mode]=disabled).`,
      'manual_entry',
    );
  if (entry.routingNumber !== TEST_ROUTING_NUMBER)
    throw new LinkingError(
      'routing_number_invalid',
      `The sandbox knows only the test routing number ${TEST_ROUTING_NUMBER}.`,
      'manual_entry[routing_number]',
    );
  if (!/^\d{4,17}$/.test(entry.accountNumber))
    throw new LinkingError(
      'account_number_invalid',
      'Account number must be 4 to 17 digits.',
      'manual_entry[account_number]',
    );
  const template = manualEntryTemplate(entry.accountNumber, entry.accountType ?? 'checking');
  const rec = createAccount(store, session, MANUAL_ENTRY_INSTITUTION, template);
  store.sessionState.set(session.id, 'completed');
  store.sessionAccounts.set(session.id, [rec.id]);
  store.emit('financial_connections.account.created', renderAccount(store, rec.id)!, request);
  return {
    session: renderSession(store, session),
    accounts: [renderAccount(store, rec.id) as unknown as FcAccount],
  };
}

function holderKey(h: FcSession['account_holder']): string {
  return JSON.stringify(h ?? null);
}

/** Relinking an inactive account at the same institution reactivates it (Stripe keeps the account id). */
function findInactiveToRelink(
  store: Store,
  session: FcSession,
  institution: Institution,
  template: AccountTemplate,
) {
  return store.fcAccounts
    .newestFirst()
    .find(
      (r) =>
        r.account.status === 'inactive' &&
        r.institutionId === institution.id &&
        r.template.key === template.key &&
        holderKey(r.account.account_holder) === holderKey(session.account_holder),
    );
}

function reactivate(store: Store, rec: FcAccountRecord & { id: string }): void {
  rec.account.status = 'active';
  if (rec.template.lifecycle === 'reauth_immediately') {
    const previous = rec.account.status_details.active?.expected_deactivation_date ?? store.clock.now();
    rec.account.status_details = {
      active: {
        action: 'none',
        cause: 'access_expired',
        expected_deactivation_date: Math.max(previous, store.clock.now()) + DAY,
      },
    };
  } else {
    rec.account.status_details = {};
  }
  store.emit('financial_connections.account.reactivated', renderAccount(store, rec.id)!, undefined, {
    status: 'inactive',
  });
  if (rec.template.lifecycle === 'reauth_immediately')
    store.emit(
      'financial_connections.account.expected_deactivation_date_updated',
      renderAccount(store, rec.id)!,
    );
}

function accountNumbers(store: Store, template: AccountTemplate): AccountNumber[] {
  const now = store.clock.now();
  switch (template.tokenized) {
    case 'expired':
      return [
        {
          identifier_type: 'tokenized_account_number',
          status: 'deactivated',
          supported_networks: ['ach'],
          expected_expiry_date: now - DAY,
        },
      ];
    case 'eventually_expiring':
      return [
        {
          identifier_type: 'tokenized_account_number',
          status: 'transactable',
          supported_networks: ['ach'],
          expected_expiry_date: now + 30 * DAY,
        },
      ];
    case 'immediately_expiring':
      return [
        {
          identifier_type: 'tokenized_account_number',
          status: 'transactable',
          supported_networks: ['ach'],
          expected_expiry_date: now,
        },
      ];
    default:
      return [
        {
          identifier_type: 'account_number',
          status: 'transactable',
          supported_networks: ['ach'],
          expected_expiry_date: null,
        },
      ];
  }
}

function createAccount(
  store: Store,
  session: FcSession,
  institution: Institution,
  template: AccountTemplate,
  institutionName?: string,
) {
  const now = store.clock.now();
  const account: FcAccount = {
    id: store.id('fca', 24),
    object: 'financial_connections.account',
    account_holder: session.account_holder ? { ...session.account_holder } : null,
    account_numbers: session.permissions.includes('payment_method') ? accountNumbers(store, template) : null,
    balance: null,
    balance_refresh: null,
    category: template.category,
    created: now,
    display_name: template.displayName,
    institution_name: institutionName?.trim() ? institutionName.trim().slice(0, 200) : institution.name,
    last4: template.last4,
    livemode: false,
    ownership: null,
    ownership_refresh: null,
    permissions: [...session.permissions],
    status: 'active',
    status_details:
      template.lifecycle === 'reauth_eventually'
        ? { active: { action: 'none', cause: 'access_expired', expected_deactivation_date: now + 30 * DAY } }
        : {},
    subcategory: template.subcategory,
    subscriptions: [],
    supported_payment_method_types: [...template.supportedPaymentMethodTypes],
    transaction_refresh: null,
  };
  const rec = store.fcAccounts.insert({
    id: account.id,
    account,
    sessionId: session.id,
    institutionId: institution.id,
    template,
    transactions: [],
    historyLoaded: false,
    owners: [],
    refreshTimers: {},
    refreshCount: 0,
  });
  const features: Record<string, Feature> = {
    balances: 'balance',
    ownership: 'ownership',
    transactions: 'transactions',
  };
  for (const f of session.prefetch ?? [])
    if (session.permissions.includes(f)) prefetch(store, rec, features[f]);
  return rec;
}

/** Institution behaviours that play out after linking (deactivation, token expiry, reauthentication notices). */
function scheduleLifecycle(store: Store, rec: FcAccountRecord & { id: string }): void {
  const t = rec.template;
  const later = (fn: () => void) => store.timers.schedule(store.options.deactivationDelayMs, fn);
  if (t.lifecycle === 'deactivates_soon' || t.lifecycle === 'reauth_immediately') {
    later(() => {
      if (rec.account.status !== 'active') return;
      rec.account.status = 'inactive';
      rec.account.status_details = {};
      store.emit('financial_connections.account.deactivated', renderAccount(store, rec.id)!, undefined, {
        status: 'active',
      });
    });
  }
  if (t.lifecycle === 'reauth_eventually') later(() => announceUpcomingDeactivation(store, rec));
  if (t.tokenized === 'immediately_expiring') later(() => updateAccountNumbers(store, rec));
  if (t.tokenized === 'eventually_expiring') later(() => announceAccountNumberExpiry(store, rec));
}
