// The trigger CLI's HTTP client for the sandbox: form-encoded requests with a test key, Stripe's error bodies
// turned into exceptions, and a wait for an event to appear in /v1/events. Node built-ins only.

export type Json = Record<string, unknown>;

/** A 4xx/5xx answer: Stripe's error object with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: Json,
  ) {
    super(`${status} ${String(error.code ?? error.type ?? '')}: ${String(error.message ?? '')}`);
  }
}

/** Stripe's form encoding: nested objects as `a[b]`, arrays as `a[0]`. */
export function encodeForm(params: Json): string {
  const out = new URLSearchParams();
  const add = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => add(`${key}[${i}]`, v));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    else out.append(key, String(value));
  };
  for (const [k, v] of Object.entries(params)) add(k, v);
  return out.toString();
}

export class SandboxClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async request(method: 'GET' | 'POST', path: string, params: Json = {}): Promise<Json> {
    const body = encodeForm(params);
    const url = `${this.baseUrl.replace(/\/$/, '')}${path}${method === 'GET' && body ? `?${body}` : ''}`;
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: method === 'POST' ? body : undefined,
    });
    const json = (await res.json()) as Json;
    if (!res.ok) throw new ApiError(res.status, (json.error as Json | undefined) ?? json);
    return json;
  }

  post(path: string, params?: Json): Promise<Json> {
    return this.request('POST', path, params);
  }

  get(path: string, params?: Json): Promise<Json> {
    return this.request('GET', path, params);
  }

  /** Ids of the events of `type` so far (newest 100): what a later wait must not mistake for the new one. */
  async eventIds(type: string): Promise<Set<string>> {
    const list = await this.get('/v1/events', { type, limit: 100 });
    return new Set((list.data as Json[]).map((e) => e.id as string));
  }

  /**
   * Resolves with the first event of `type` not in `seen` whose object is `objectId` (any object when absent).
   * Polls /v1/events, as a partner's script would; rejects after `timeoutMs`.
   */
  async waitForEvent(type: string, seen: Set<string>, objectId: string | undefined, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await this.get('/v1/events', { type, limit: 100 });
      const found = (list.data as Json[])
        .filter((e) => !seen.has(e.id as string))
        .reverse()
        .find((e) => !objectId || ((e.data as Json).object as Json).id === objectId);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no ${type} event${objectId ? ` for ${objectId}` : ''} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
