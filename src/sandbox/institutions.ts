// The test institutions Stripe documents for Financial Connections test mode (docs/stripe-facts.md §4,
// docs.stripe.com/financial-connections/testing), each with its login kind, behaviour and account templates.
// The hosted linking flow renders INSTITUTIONS; linking.ts turns templates into accounts.

export type LoginKind = 'none' | 'form' | 'oauth';

/** How an ACH debit from this account ends (docs.stripe.com/testing, US bank account numbers). */
export type AchOutcome =
  | 'success'
  | 'insufficient_funds'
  | 'account_closed'
  | 'no_account'
  | 'debit_not_authorized'
  | 'invalid_currency'
  | 'processing'
  | 'dispute'
  | 'weekly_limit_exceeded'
  | 'risk_level_highest'
  /** The microdeposits cannot be sent: a verification by microdeposits fails (`payment_method_microdeposit_failed`). */
  | 'fail_microdeposits';

export interface AccountTemplate {
  /** What `accounts[]` of the complete helper names. */
  key: string;
  displayName: string;
  category: 'cash' | 'credit' | 'investment' | 'other';
  subcategory: 'checking' | 'savings' | 'credit_card' | 'line_of_credit' | 'mortgage' | 'other';
  last4: string;
  /** Stripe's test account number whose ACH behaviour this account has. */
  accountNumber: string;
  achOutcome: AchOutcome;
  supportedPaymentMethodTypes: ('us_bank_account' | 'link')[];
  /** Current balance in cents (negative: owed by the holder). */
  balance: number;
  /** How many owners ownership data lists; 0 means ownership data is unavailable (refresh fails). */
  owners: number;
  /** Business owner name instead of people. */
  businessOwner?: string;
  /** Data the institution cannot provide: refreshes of these features fail. */
  unavailable?: ('balance' | 'ownership' | 'transactions')[];
  tokenized?: 'expired' | 'eventually_expiring' | 'immediately_expiring';
  /** Typed in by hand in the hosted flow (manual entry): payments from it need microdeposit verification. */
  manualEntry?: boolean;
  lifecycle?: 'deactivates_soon' | 'reauth_immediately' | 'reauth_eventually';
}

export interface Institution {
  id: string;
  name: string;
  /** Earlier names Stripe used, still accepted by the complete helper. */
  formerNames: string[];
  login: LoginKind;
  description: string;
  accounts: AccountTemplate[];
  /** Templates linked when the complete helper gets no `accounts[]`. */
  defaultAccounts: string[];
  /** Down institutions refuse every login. */
  down?: 'scheduled' | 'unscheduled' | 'error';
  /** Typed in the username or password field of a `form` login, these trigger further prompts (hosted flow). */
  loginKeywords?: readonly string[];
}

const ACH = ['us_bank_account'] as const;

/** Stripe's routing number for test bank accounts, and the bank it names. */
export const TEST_ROUTING_NUMBER = '110000000';
export const MANUAL_ENTRY_BANK = 'STRIPE TEST BANK';

/**
 * Stripe's test account numbers for manually entered bank accounts (docs/stripe-facts.md §4); any other
 * account number at the test routing number succeeds.
 */
export const TEST_ACCOUNT_NUMBERS: Readonly<Record<string, AchOutcome>> = {
  '000123456789': 'success',
  '000111111113': 'account_closed',
  '000111111116': 'no_account',
  '000222222227': 'insufficient_funds',
  '000333333335': 'debit_not_authorized',
  '000444444440': 'invalid_currency',
  '000666666661': 'fail_microdeposits',
  '000555555559': 'dispute',
  '000000000009': 'processing',
  '000777777771': 'weekly_limit_exceeded',
  '000000004954': 'risk_level_highest',
};

/**
 * A bank account typed in by hand in the hosted flow (`manual_entry[mode]=automatic` on the session): Financial
 * Connections has no data for it (balances, ownership and transactions are unavailable) and payments from it
 * are verified with microdeposits. Its ACH behaviour follows the test account number.
 */
export function manualEntryTemplate(
  accountNumber: string,
  accountType: 'checking' | 'savings',
): AccountTemplate {
  return acct({
    key: 'manual_entry',
    displayName: accountType === 'savings' ? 'Savings (entered manually)' : 'Checking (entered manually)',
    category: 'cash',
    subcategory: accountType,
    last4: accountNumber.slice(-4),
    accountNumber,
    achOutcome: TEST_ACCOUNT_NUMBERS[accountNumber] ?? 'success',
    balance: 0,
    owners: 0,
    unavailable: ['balance', 'ownership', 'transactions'],
    manualEntry: true,
  });
}

/** Where manually entered accounts are recorded as coming from (not offered in the flow's institution list). */
export const MANUAL_ENTRY_INSTITUTION: Institution = {
  id: 'fcinst_manual_entry',
  name: MANUAL_ENTRY_BANK,
  formerNames: [],
  login: 'none',
  description: 'Bank account details entered manually.',
  accounts: [],
  defaultAccounts: [],
};

function acct(
  t: Omit<AccountTemplate, 'supportedPaymentMethodTypes' | 'achOutcome' | 'accountNumber' | 'owners'> &
    Partial<Pick<AccountTemplate, 'supportedPaymentMethodTypes' | 'achOutcome' | 'accountNumber' | 'owners'>>,
): AccountTemplate {
  return {
    supportedPaymentMethodTypes: t.category === 'cash' ? [...ACH] : [],
    achOutcome: 'success',
    accountNumber: '000123456789',
    owners: 1,
    ...t,
  };
}

/** The basic set Stripe's test institutions return, plus accounts with each documented ACH outcome. */
const STANDARD_ACCOUNTS: AccountTemplate[] = [
  acct({
    key: 'checking',
    displayName: 'Checking',
    category: 'cash',
    subcategory: 'checking',
    last4: '6789',
    balance: 1_254_312,
  }),
  acct({
    key: 'savings',
    displayName: 'Savings',
    category: 'cash',
    subcategory: 'savings',
    last4: '4321',
    balance: 4_820_050,
  }),
  acct({
    key: 'credit_card',
    displayName: 'Credit Card',
    category: 'credit',
    subcategory: 'credit_card',
    last4: '4444',
    balance: -183_245,
  }),
  acct({
    key: 'insufficient_funds',
    displayName: 'Insufficient Funds',
    category: 'cash',
    subcategory: 'checking',
    last4: '2227',
    accountNumber: '000222222227',
    achOutcome: 'insufficient_funds',
    balance: 1_210,
  }),
  acct({
    key: 'account_closed',
    displayName: 'Account Closed',
    category: 'cash',
    subcategory: 'checking',
    last4: '1113',
    accountNumber: '000111111113',
    achOutcome: 'account_closed',
    balance: 0,
  }),
  acct({
    key: 'no_account',
    displayName: 'No Account',
    category: 'cash',
    subcategory: 'checking',
    last4: '1116',
    accountNumber: '000111111116',
    achOutcome: 'no_account',
    balance: 0,
  }),
  acct({
    key: 'debit_not_authorized',
    displayName: 'Debit Not Authorized',
    category: 'cash',
    subcategory: 'checking',
    last4: '3335',
    accountNumber: '000333333335',
    achOutcome: 'debit_not_authorized',
    balance: 98_000,
  }),
  acct({
    key: 'processing',
    displayName: 'Always Processing',
    category: 'cash',
    subcategory: 'checking',
    last4: '0009',
    accountNumber: '000000000009',
    achOutcome: 'processing',
    balance: 310_000,
  }),
  acct({
    key: 'dispute',
    displayName: 'Disputed',
    category: 'cash',
    subcategory: 'checking',
    last4: '5559',
    accountNumber: '000555555559',
    achOutcome: 'dispute',
    balance: 72_000,
  }),
  acct({
    key: 'weekly_limit_exceeded',
    displayName: 'Weekly Limit Exceeded',
    category: 'cash',
    subcategory: 'checking',
    last4: '7771',
    accountNumber: '000777777771',
    achOutcome: 'weekly_limit_exceeded',
    balance: 450_000,
  }),
  acct({
    key: 'data_unavailable',
    displayName: 'Data Unavailable',
    category: 'cash',
    subcategory: 'checking',
    last4: '9991',
    balance: 50_000,
    unavailable: ['balance', 'ownership', 'transactions'],
  }),
];

function pick(...keys: string[]): AccountTemplate[] {
  return keys.map((k) => {
    const t = STANDARD_ACCOUNTS.find((a) => a.key === k);
    if (!t) throw new Error(`unknown template ${k}`);
    return t;
  });
}

const ALL_STANDARD = STANDARD_ACCOUNTS.map((a) => a.key);

export const INSTITUTIONS: readonly Institution[] = [
  {
    id: 'fcinst_test_non_oauth',
    name: 'Test (Non-OAuth)',
    formerNames: ['Test Institution'],
    login: 'none',
    description: 'A successful login and a basic set of test accounts.',
    accounts: pick(...ALL_STANDARD),
    defaultAccounts: ['checking', 'savings', 'credit_card'],
  },
  {
    id: 'fcinst_test_oauth',
    name: 'Test (OAuth)',
    formerNames: ['Test OAuth Institution'],
    login: 'oauth',
    description: 'The same accounts, through an OAuth popup.',
    accounts: pick(...ALL_STANDARD),
    defaultAccounts: ['checking', 'savings', 'credit_card'],
  },
  {
    id: 'fcinst_bank_non_oauth',
    name: 'Bank (Non-OAuth)',
    formerNames: ['Sandbox Bank (Non-OAuth)'],
    login: 'form',
    description:
      'A login form: any username and password work; type options, mfa, confirm_mfa or security_question for more prompts, error to fail, incorrect to retry.',
    accounts: pick(...ALL_STANDARD),
    defaultAccounts: ['checking', 'savings'],
    loginKeywords: ['options', 'mfa', 'confirm_mfa', 'security_question', 'error', 'incorrect'],
  },
  {
    id: 'fcinst_bank_oauth',
    name: 'Bank (OAuth)',
    formerNames: ['Sandbox Bank (OAuth)'],
    login: 'oauth',
    description: 'An OAuth popup that lets the user pick accounts; the most representative option.',
    accounts: pick(...ALL_STANDARD),
    defaultAccounts: ['checking', 'savings'],
  },
  {
    id: 'fcinst_ownership_accounts',
    name: 'Ownership Accounts',
    formerNames: [],
    login: 'none',
    description: 'Test accounts in different ownership states.',
    accounts: [
      acct({
        key: 'single_owner',
        displayName: 'Single Owner',
        category: 'cash',
        subcategory: 'checking',
        last4: '1001',
        balance: 210_000,
        owners: 1,
      }),
      acct({
        key: 'joint_owners',
        displayName: 'Joint Account',
        category: 'cash',
        subcategory: 'checking',
        last4: '1002',
        balance: 530_000,
        owners: 2,
      }),
      acct({
        key: 'business_owner',
        displayName: 'Business Checking',
        category: 'cash',
        subcategory: 'checking',
        last4: '1003',
        balance: 8_400_000,
        owners: 1,
        businessOwner: 'Rocket Rides LLC',
      }),
      acct({
        key: 'no_ownership',
        displayName: 'No Ownership Data',
        category: 'cash',
        subcategory: 'savings',
        last4: '1004',
        balance: 90_000,
        owners: 0,
        unavailable: ['ownership'],
      }),
    ],
    defaultAccounts: ['single_owner', 'joint_owners', 'business_owner', 'no_ownership'],
  },
  {
    id: 'fcinst_invalid_payment_accounts',
    name: 'Invalid Payment Accounts',
    formerNames: [],
    login: 'none',
    description: 'Accounts that cannot be used for ACH.',
    accounts: [
      acct({
        key: 'no_ach_checking',
        displayName: 'Checking (no ACH)',
        category: 'cash',
        subcategory: 'checking',
        last4: '2001',
        balance: 120_000,
        supportedPaymentMethodTypes: [],
      }),
      acct({
        key: 'investment',
        displayName: 'Brokerage',
        category: 'investment',
        subcategory: 'other',
        last4: '2002',
        balance: 2_500_000,
      }),
      acct({
        key: 'mortgage',
        displayName: 'Mortgage',
        category: 'credit',
        subcategory: 'mortgage',
        last4: '2003',
        balance: -31_000_000,
      }),
    ],
    defaultAccounts: ['no_ach_checking', 'investment', 'mortgage'],
  },
  {
    id: 'fcinst_down_scheduled',
    name: 'Down (Scheduled)',
    formerNames: ['Down Bank (Scheduled)'],
    login: 'form',
    description: 'The login API is down for a known maintenance window.',
    accounts: [],
    defaultAccounts: [],
    down: 'scheduled',
  },
  {
    id: 'fcinst_down_unscheduled',
    name: 'Down (Unscheduled)',
    formerNames: ['Down Bank (Unscheduled)'],
    login: 'form',
    description: 'The login API is down with no notice.',
    accounts: [],
    defaultAccounts: [],
    down: 'unscheduled',
  },
  {
    id: 'fcinst_down_error',
    name: 'Down (Error)',
    formerNames: ['Down Bank (Error)'],
    login: 'form',
    description: 'The login fails with an unknown error.',
    accounts: [],
    defaultAccounts: [],
    down: 'error',
  },
  {
    id: 'fcinst_tokenized_account_number',
    name: 'Tokenized Account Number',
    formerNames: [],
    login: 'none',
    description:
      'Accounts with tokenized account numbers: expired, eventually expiring, immediately expiring.',
    accounts: [
      acct({
        key: 'tan_expired',
        displayName: 'Expired TAN',
        category: 'cash',
        subcategory: 'checking',
        last4: '3001',
        balance: 40_000,
        tokenized: 'expired',
      }),
      acct({
        key: 'tan_eventually_expiring',
        displayName: 'Eventually Expiring',
        category: 'cash',
        subcategory: 'checking',
        last4: '3002',
        balance: 60_000,
        tokenized: 'eventually_expiring',
      }),
      acct({
        key: 'tan_immediately_expiring',
        displayName: 'Immediately Expiring',
        category: 'cash',
        subcategory: 'checking',
        last4: '3003',
        balance: 80_000,
        tokenized: 'immediately_expiring',
      }),
    ],
    defaultAccounts: ['tan_expired', 'tan_eventually_expiring', 'tan_immediately_expiring'],
  },
  {
    id: 'fcinst_inactive_accounts',
    name: 'Inactive Accounts',
    formerNames: [],
    login: 'none',
    description: 'The account becomes inactive shortly after linking; relink to make it active again.',
    accounts: [
      acct({
        key: 'inactive_checking',
        displayName: 'Checking',
        category: 'cash',
        subcategory: 'checking',
        last4: '4001',
        balance: 150_000,
        lifecycle: 'deactivates_soon',
      }),
    ],
    defaultAccounts: ['inactive_checking'],
  },
  {
    id: 'fcinst_immediately_requires_reauthentication',
    name: 'Immediately Requires Reauthentication',
    formerNames: [],
    login: 'none',
    description:
      'Inactive shortly after linking; after each reactivation the expected deactivation date is one day later.',
    accounts: [
      acct({
        key: 'reauth_checking',
        displayName: 'Checking',
        category: 'cash',
        subcategory: 'checking',
        last4: '4002',
        balance: 175_000,
        lifecycle: 'reauth_immediately',
      }),
    ],
    defaultAccounts: ['reauth_checking'],
  },
  {
    id: 'fcinst_eventually_requires_reauthentication',
    name: 'Eventually Requires Reauthentication',
    formerNames: [],
    login: 'none',
    description: 'Deactivates 30 days after linking; sends upcoming_deactivation events.',
    accounts: [
      acct({
        key: 'eventual_reauth_checking',
        displayName: 'Checking',
        category: 'cash',
        subcategory: 'checking',
        last4: '4003',
        balance: 260_000,
        lifecycle: 'reauth_eventually',
      }),
    ],
    defaultAccounts: ['eventual_reauth_checking'],
  },
];

export const DEFAULT_INSTITUTION_ID = 'fcinst_test_non_oauth';

/** What the hosted flow needs to render the institution picker and the account picker. */
export interface InstitutionSummary {
  id: string;
  name: string;
  login: LoginKind;
  description: string;
  down: Institution['down'] | null;
  accounts: {
    key: string;
    displayName: string;
    last4: string;
    category: string;
    subcategory: string;
    default: boolean;
  }[];
}

export function listInstitutions(): InstitutionSummary[] {
  return INSTITUTIONS.map((i) => ({
    id: i.id,
    name: i.name,
    login: i.login,
    description: i.description,
    down: i.down ?? null,
    accounts: i.accounts.map((a) => ({
      key: a.key,
      displayName: a.displayName,
      last4: a.last4,
      category: a.category,
      subcategory: a.subcategory,
      default: i.defaultAccounts.includes(a.key),
    })),
  }));
}

/** By id, current name or former name (case-insensitive). */
export function findInstitution(idOrName: string): Institution | undefined {
  const q = idOrName.trim().toLowerCase();
  return INSTITUTIONS.find(
    (i) => i.id === q || i.name.toLowerCase() === q || i.formerNames.some((n) => n.toLowerCase() === q),
  );
}
