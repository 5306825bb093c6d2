// Implements the flow's port over the sandbox's store: sessions by client secret, the documented test institutions,
// directory banks, and completion through linking.ts (so accounts and events match the complete helper exactly).
import { findDirectoryInstitution } from '../institution-directory';
import { DEFAULT_INSTITUTION_ID, findInstitution, INSTITUTIONS, type Institution } from '../institutions';
import { completeSession } from '../linking';
import type { Store } from '../store';
import type { FcSession } from '../types';
import type { AuthFlowPort, FlowInstitution, FlowSession, FlowSessionResult, LoginKind } from './port';

/** Stripe documents Bank (OAuth) as "an OAuth popup that lets the user pick accounts"; Test (OAuth) does not. */
const OAUTH_PICKS_ACCOUNTS = new Set(['fcinst_bank_oauth']);

/** Found only by searching, as Stripe's testing guide says ("Search for Tokenized Account Number"). */
const SEARCH_ONLY = new Set(['fcinst_tokenized_account_number']);

function loginOf(inst: Institution): LoginKind {
  if (inst.down) return { kind: 'down', outage: inst.down };
  switch (inst.login) {
    case 'none':
      return { kind: 'none' };
    case 'form':
      return { kind: 'credentials', keywords: (inst.loginKeywords ?? []).length > 0 };
    case 'oauth':
      return { kind: 'oauth', picksAccounts: OAUTH_PICKS_ACCOUNTS.has(inst.id) };
  }
}

function toFlowInstitution(inst: Institution): FlowInstitution {
  return {
    id: inst.id,
    name: inst.name,
    featured: !SEARCH_ONLY.has(inst.id),
    login: loginOf(inst),
    accounts: inst.accounts.map((a) => ({
      key: a.key,
      displayName: a.displayName,
      last4: a.last4,
      category: a.category,
      subcategory: a.subcategory,
      supportsAch: a.supportedPaymentMethodTypes.includes('us_bank_account'),
    })),
  };
}

function toFlowSession(store: Store, s: FcSession): FlowSession {
  const state = store.sessionState.get(s.id);
  const subcategories = s.filters?.account_subcategories;
  return {
    id: s.id,
    permissions: [...s.permissions],
    prefetch: [...(s.prefetch ?? [])],
    returnUrl: s.return_url ?? null,
    accountSubcategories: subcategories && subcategories.length > 0 ? [...subcategories] : null,
    accountLimit: s.limits?.accounts ?? 100,
    used: state === 'completed' || state === 'cancelled',
    manualEntry: s.manual_entry?.mode !== 'disabled',
  };
}

/** Stripe.js returns the session with `accounts` as an array; the client secret stays out of the page's hands. */
function toResult(session: Record<string, unknown>): FlowSessionResult {
  const { client_secret: _secret, accounts, ...rest } = session;
  const data = (accounts as { data?: Record<string, unknown>[] } | undefined)?.data ?? [];
  return { ...rest, id: String(session.id), accounts: data };
}

export function createAuthFlowPort(store: Store): AuthFlowPort {
  const simulated = findInstitution(DEFAULT_INSTITUTION_ID)!;
  const institution = (id: string): FlowInstitution | undefined => {
    const test = INSTITUTIONS.find((i) => i.id === id);
    if (test) return toFlowInstitution(test);
    const dir = findDirectoryInstitution(id);
    if (!dir) return undefined;
    // A directory bank logs in with any credentials and links Test (Non-OAuth)'s accounts (linking.ts knows only
    // the test institutions, so the accounts carry that institution's name).
    return {
      ...toFlowInstitution(simulated),
      id: dir.id,
      name: dir.name,
      featured: false,
      login: { kind: 'credentials', keywords: false },
      simulatedBy: simulated.name,
    };
  };
  return {
    findSessionByClientSecret(clientSecret) {
      const s = store.findSessionByClientSecret(clientSecret);
      return s ? toFlowSession(store, s) : undefined;
    },
    getSession(sessionId) {
      const s = store.sessions.get(sessionId);
      return s ? toFlowSession(store, s) : undefined;
    },
    testInstitutions: () => INSTITUTIONS.map(toFlowInstitution),
    institution,
    complete(sessionId, outcome) {
      if ('cancel' in outcome) return toResult(completeSession(store, sessionId, { cancel: true }).session);
      if ('manualEntry' in outcome)
        return toResult(completeSession(store, sessionId, { manualEntry: outcome.manualEntry }).session);
      // A directory bank links the default test institution's accounts under the bank's own name.
      const directoryBank = findDirectoryInstitution(outcome.institutionId);
      const done = completeSession(store, sessionId, {
        institution: directoryBank ? simulated.id : outcome.institutionId,
        institutionName: directoryBank?.name,
        accounts: outcome.accountKeys,
      });
      return toResult(done.session);
    },
  };
}
