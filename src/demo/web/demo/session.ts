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
 * The last account linked in this browser, for the IDE's subscription example (src/transport/http/ide.ts). An account id
 * is no credential: localStorage, so an IDE opened in another tab of the same origin finds it.
 */
const ACCOUNT_KEY = 'fc-demo-account';

export function rememberDemoAccount(accountId: string): void {
  try {
    localStorage.setItem(ACCOUNT_KEY, accountId);
  } catch {
    /* storage disabled: the IDE's example asks for an id instead */
  }
}

export function demoAccountId(): string | undefined {
  try {
    return localStorage.getItem(ACCOUNT_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
