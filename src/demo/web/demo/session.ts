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
}
