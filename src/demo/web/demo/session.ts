// The browser's only credential: a customer token minted by POST /demo/api/session (never the partner key).
export interface DemoSession {
  customerId: string;
  token: string;
  expiresAt: string;
}

const STORAGE_KEY = 'fc-demo-session';

/** The stored session while it has at least a minute left, so a reload keeps the same customer and accounts. */
export function storedSession(): DemoSession | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as DemoSession | null;
    if (s && Date.parse(s.expiresAt) - Date.now() > 60_000) return s;
  } catch {
    /* corrupt entry: start over */
  }
  return undefined;
}

export async function startSession(): Promise<DemoSession> {
  const res = await fetch('/demo/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as DemoSession & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(body));
  return body;
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.removeItem(PAYMENT_KEY);
  sessionStorage.removeItem(ACTIVITY_KEY);
}

/** The Activity list of this tab's customer, so a reload keeps it (it holds names and amounts, no ids). */
const ACTIVITY_KEY = 'fc-demo-activity';

export interface ActivityEntry {
  at: string;
  text: string;
}

export function storedActivity(): ActivityEntry[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(ACTIVITY_KEY) ?? '[]') as unknown;
    return Array.isArray(list)
      ? list.filter((e): e is ActivityEntry => typeof e?.at === 'string' && typeof e?.text === 'string')
      : [];
  } catch {
    return [];
  }
}

export function rememberActivity(entries: ActivityEntry[]): void {
  if (entries.length) sessionStorage.setItem(ACTIVITY_KEY, JSON.stringify(entries));
  else sessionStorage.removeItem(ACTIVITY_KEY);
}

/** The payment the Pay card shows, so a reload (say while it is processing) keeps showing it. */
const PAYMENT_KEY = 'fc-demo-payment';

export function rememberPayment(paymentIntentId: string): void {
  sessionStorage.setItem(PAYMENT_KEY, paymentIntentId);
}

export function storedPaymentId(): string | undefined {
  return sessionStorage.getItem(PAYMENT_KEY) ?? undefined;
}

export function forgetPayment(): void {
  sessionStorage.removeItem(PAYMENT_KEY);
}

/**
 * The last account linked in this browser and its customer, for the IDE's example tabs (src/transport/http/ide-tabs.ts).
 * Ids are no credential: localStorage, so an IDE opened in another tab of the same origin finds them.
 */
const ACCOUNT_KEY = 'fc-demo-account';
const CUSTOMER_KEY = 'fc-demo-customer';

export function rememberDemoAccount(accountId: string, customerId: string): void {
  try {
    localStorage.setItem(ACCOUNT_KEY, accountId);
    localStorage.setItem(CUSTOMER_KEY, customerId);
  } catch {
    /* storage disabled: the IDE's examples ask for ids instead */
  }
}

export function demoCustomerId(): string | undefined {
  try {
    return localStorage.getItem(CUSTOMER_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function demoAccountId(): string | undefined {
  try {
    return localStorage.getItem(ACCOUNT_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
