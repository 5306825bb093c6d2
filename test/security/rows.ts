// The row type of the attack table, and small expectation builders the row files share.
import type { GatewayName, Harness, HttpProbe, Probe, ScenarioProbe, WsProbe } from './harness';

export interface AttackRow {
  /** Row id of docs/security-catalogue.md (IN1, AU2, …) plus a letter when one row becomes several. */
  id: string;
  attack: string;
  /** Which gateway configuration it runs against (default `dev`). */
  on?: GatewayName;
  /**
   * The Stripe requests the attack (`run`) causes on a cold read cache, exactly: a count of HTTP attempts (retries
   * included), the calls themselves as `METHOD /path/{id}` (callOf in harness.ts, any order, one attempt each), or a
   * count computed from what the row saw. 0 (default) for every request refused before a lookup; the ownership
   * lookup where the gateway must read an object to refuse it.
   */
  stripeRequests?: number | readonly string[] | ((p: Probe) => number);
  /** The "next valid request" is sent with this credential (default partner A's key). */
  nextAs?: (h: Harness) => string;
  /** The row creates objects itself (set-up of a storage scan), so sandbox writes are expected. */
  writes?: 'expected';
  /** Needs the cross-tenant data (resolvers for customers, sessions, accounts). */
  needsTenants?: boolean;
  run(h: Harness): Promise<Probe>;
  expect(p: Probe, h: Harness): void | Promise<void>;
}

export function asHttp(p: Probe): HttpProbe {
  if (p.kind !== 'http') throw new Error(`expected an HTTP probe, got ${p.kind}`);
  return p;
}

export function asScenario(p: Probe): ScenarioProbe {
  if (p.kind !== 'scenario') throw new Error(`expected a scenario probe, got ${p.kind}`);
  return p;
}

export function asWs(p: Probe): WsProbe {
  if (p.kind !== 'ws') throw new Error(`expected a WebSocket probe, got ${p.kind}`);
  return p;
}

/** Expects an HTTP status and exactly these error codes (and optionally a message pattern). */
export const rejected =
  (status: number, code: string, message?: RegExp) =>
  (p: Probe): void => {
    const r = asHttp(p);
    expect({ status: r.status, codes: (r.json?.errors ?? []).map((e) => e.extensions?.code) }).toEqual({
      status,
      codes: expect.arrayContaining([code]),
    });
    if (message) expect(r.json?.errors?.map((e) => e.message).join('\n')).toMatch(message);
  };

/** Expects a QUERY_TOO_COMPLEX rejection naming the given limit. */
export const tooComplex =
  (limit: string, status = 400) =>
  (p: Probe): void => {
    const r = asHttp(p);
    expect(r.status).toBe(status);
    const errors = r.json?.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.some((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX' && e.extensions?.limit === limit),
    ).toBe(true);
    expect(r.json?.data ?? null).toBeNull();
  };

/** The errors of a WebSocket operation `id` (an `error` message's payload). */
export function wsErrors(
  p: WsProbe,
  id: string,
): { message: string; extensions?: Record<string, unknown> }[] {
  const m = p.messages.find((x) => x.id === id && x.type === 'error');
  if (m) return m.payload as { message: string; extensions?: Record<string, unknown> }[];
  const next = p.messages.find((x) => x.id === id && x.type === 'next');
  return ((next?.payload as { errors?: [] } | undefined)?.errors ?? []) as {
    message: string;
    extensions?: Record<string, unknown>;
  }[];
}

/** Every WebSocket error carries a code and a request id. */
export function assertWsErrorShape(p: WsProbe): void {
  for (const m of p.messages) {
    const errors =
      m.type === 'error'
        ? (m.payload as unknown[])
        : m.type === 'next'
          ? ((m.payload as { errors?: unknown[] }).errors ?? [])
          : [];
    for (const e of errors as { extensions?: Record<string, unknown> }[]) {
      expect(typeof e.extensions?.code).toBe('string');
      expect(typeof e.extensions?.requestId).toBe('string');
    }
  }
}
