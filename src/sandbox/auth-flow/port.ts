// What the hosted flow needs from the rest of the sandbox, in the flow's own words (implemented by sandbox-adapter.ts).

/** A session as the flow sees it: what to ask consent for, what may be linked, where to go afterwards. */
export interface FlowSession {
  id: string;
  permissions: string[];
  prefetch: string[];
  returnUrl: string | null;
  /** `filters[account_subcategories]`; null means any subcategory may be linked. */
  accountSubcategories: string[] | null;
  /** `limits[accounts]`: the most accounts one session may link. */
  accountLimit: number;
  /** Completed or cancelled already: the client secret cannot start another flow. */
  used: boolean;
  /** `manual_entry[mode]=automatic`: the holder may type in the account details instead of picking a bank. */
  manualEntry: boolean;
}

/** Account details typed in by hand (the manual entry step). */
export interface ManualAccountDetails {
  routingNumber: string;
  accountNumber: string;
  accountType: 'checking' | 'savings';
}

/** How an institution signs its users in (`none`: Stripe's test institutions that link without credentials). */
export type LoginKind =
  | { kind: 'none' }
  | { kind: 'credentials'; keywords: boolean }
  | { kind: 'oauth'; picksAccounts: boolean }
  | { kind: 'down'; outage: 'scheduled' | 'unscheduled' | 'error' };

/** One account the institution offers in the "select accounts" step. */
export interface FlowAccountChoice {
  /** Passed back to `complete()` to link exactly this account. */
  key: string;
  displayName: string;
  last4: string | null;
  category: string;
  subcategory: string;
  /** Whether it can be used for ACH (`us_bank_account`); sessions asking for `payment_method` need this. */
  supportsAch: boolean;
}

export interface FlowInstitution {
  id: string;
  name: string;
  /** Listed before a search is typed (Stripe's "Tokenized Account Number" institutions appear only when searched). */
  featured: boolean;
  login: LoginKind;
  accounts: FlowAccountChoice[];
  /** A directory bank: the test institution whose accounts it links (shown to the user, so nothing surprises). */
  simulatedBy?: string;
}

/** The session as Stripe.js returns it in `result.financialConnectionsSession` (accounts as an array). */
export type FlowSessionResult = Record<string, unknown> & { id: string; accounts: Record<string, unknown>[] };

export interface AuthFlowPort {
  findSessionByClientSecret(clientSecret: string): FlowSession | undefined;
  getSession(sessionId: string): FlowSession | undefined;
  /** The documented test institutions, in the order they are offered. */
  testInstitutions(): FlowInstitution[];
  /**
   * An institution the user picked: a test institution, or a directory bank (which behaves like Test (Non-OAuth)
   * under its own name), or undefined for an unknown id.
   */
  institution(id: string): FlowInstitution | undefined;
  /**
   * Links the chosen accounts (creating them and emitting `financial_connections.account.created` for each), or
   * ends the session with none (`cancel`). Returns the session with its accounts.
   * @throws when the session was already completed.
   */
  complete(
    sessionId: string,
    outcome:
      | { institutionId: string; accountKeys: string[] }
      | { manualEntry: ManualAccountDetails }
      | { cancel: true },
  ): FlowSessionResult;
}
