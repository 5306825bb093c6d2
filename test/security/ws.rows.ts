// Attack rows on the WebSocket transport (graphql-ws): Origin, protocol abuse, frame size, shared limits, expiry.
import {
  ALLOWED_ORIGIN,
  PARTNER_A,
  init,
  settled,
  signToken,
  subscribe,
  wsSession,
  type WsProbe,
} from './harness';
import { asWs, wsErrors, type AttackRow } from './rows';
import { viewerChain } from './transport.rows';

const closedWith = (code: number) => (p: import('./harness').Probe) => {
  expect(asWs(p).closeCode).toBe(code);
};

/** One operation over an acknowledged socket as partner A (or `token`); resolves when it settled. */
const op = (
  h: import('./harness').Harness,
  query: string,
  options: { gw?: 'dev' | 'prod'; token?: string; variables?: unknown } = {},
) =>
  wsSession(h.gw(options.gw ?? 'dev'), {
    awaitAck: true,
    frames: [init(options.token ?? PARTNER_A.apiKey), subscribe('1', query, options.variables)],
    until: settled('1'),
  });

/** Expects operation 1 to fail with `code` (and `limit`), with the socket still open. */
const opFailed = (code: string, limit?: string) => (p: import('./harness').Probe) => {
  const w = asWs(p);
  expect(w.closeCode).toBeUndefined();
  const errors = wsErrors(w, '1');
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((e) => e.extensions?.code)).toContain(code);
  if (limit) expect(errors.map((e) => e.extensions?.limit)).toContain(limit);
};

export const wsRows: AttackRow[] = [
  {
    id: 'WS1a',
    attack: 'WebSocket upgrade from a foreign Origin',
    on: 'origin',
    run: (h) =>
      wsSession(h.gw('origin'), { origin: 'https://evil.example', frames: [init(PARTNER_A.apiKey)] }),
    expect: (p) => expect(asWs(p).handshakeStatus).toBe(403),
  },
  {
    id: 'WS1b',
    attack: 'WebSocket upgrade from Origin `null` (sandboxed iframe, file://)',
    on: 'origin',
    run: (h) => wsSession(h.gw('origin'), { origin: 'null', frames: [init(PARTNER_A.apiKey)] }),
    expect: (p) => expect(asWs(p).handshakeStatus).toBe(403),
  },
  {
    id: 'WS1c',
    attack: 'control: the allowed Origin gets its connection_ack',
    on: 'origin',
    run: (h) =>
      wsSession(h.gw('origin'), {
        origin: ALLOWED_ORIGIN,
        frames: [init(PARTNER_A.apiKey)],
        until: (m) => m.some((x) => x.type === 'connection_ack'),
      }),
    expect: (p) => expect(asWs(p).messages.map((m) => m.type)).toEqual(['connection_ack']),
  },
  {
    id: 'WS1d',
    attack: "control: the gateway's own origin (same host) may open a WebSocket even when not listed",
    on: 'origin',
    run: (h) =>
      wsSession(h.gw('origin'), {
        origin: h.gw('origin').url,
        frames: [init(PARTNER_A.apiKey)],
        until: (m) => m.some((x) => x.type === 'connection_ack'),
      }),
    expect: (p) => expect(asWs(p).messages.map((m) => m.type)).toEqual(['connection_ack']),
  },
  {
    id: 'WS2a',
    attack: 'no connection_init within 3 s',
    run: (h) => wsSession(h.gw(), { frames: [] }),
    expect: closedWith(4408),
  },
  {
    id: 'WS2b',
    attack: 'connection_init with a bad token',
    run: (h) => wsSession(h.gw(), { frames: [init('not-a-valid-key-0000')] }),
    // 4401: fatal for graphql-ws's client, so a bad credential is not retried (src/transport/ws/ws-guard.ts)
    expect: closedWith(4401),
  },
  {
    id: 'WS2c',
    attack: 'connection_init with an expired customer token',
    run: async (h) => wsSession(h.gw(), { frames: [init(await signToken({}, { expSecondsFromNow: -5 }))] }),
    expect: (p) => {
      expect(asWs(p).closeCode).toBe(4401);
      expect(asWs(p).closeReason).toBe('Unauthorized: token expired');
    },
  },
  {
    id: 'WS2d',
    attack: 'subscribe before connection_ack',
    run: (h) => wsSession(h.gw(), { frames: [subscribe('1', '{ viewer { partnerId } }')] }),
    expect: closedWith(4401),
  },
  {
    id: 'WS2e',
    attack: 'second connection_init',
    run: (h) =>
      wsSession(h.gw(), { awaitAck: true, frames: [init(PARTNER_A.apiKey), init(PARTNER_A.apiKey)] }),
    expect: closedWith(4429),
  },
  {
    id: 'WS2f',
    attack: 'duplicate operation id while the first is still running',
    needsTenants: true,
    // The first subscribe's lookup of the customer (whose partner it is); the duplicate closes the socket first.
    stripeRequests: ['GET /v1/customers/{id}'],
    run: (h) => {
      const q = `subscription { financialAccountUpdated(customerId: "${h.tenants.a.customerId}") { type } }`;
      return wsSession(h.gw(), {
        awaitAck: true,
        frames: [init(PARTNER_A.apiKey), subscribe('dup', q), subscribe('dup', q)],
      });
    },
    expect: closedWith(4409),
  },
  {
    id: 'WS2g',
    attack: 'a frame that is not JSON',
    run: (h) =>
      wsSession(h.gw(), { awaitAck: true, frames: [init(PARTNER_A.apiKey), '{"type": "subscribe", '] }),
    expect: closedWith(4400),
  },
  {
    id: 'WS3',
    attack: 'a frame over 64 KiB',
    run: (h) =>
      wsSession(h.gw(), {
        awaitAck: true,
        frames: [
          init(PARTNER_A.apiKey),
          subscribe('1', `{ viewer { partnerId } } # ${'x'.repeat(70 * 1024)}`),
        ],
      }),
    expect: closedWith(1009),
  },
  {
    id: 'WS4a',
    attack: 'over-deep operation over WebSocket',
    run: (h) => op(h, viewerChain(9)),
    expect: opFailed('QUERY_TOO_COMPLEX', 'depth'),
  },
  {
    id: 'WS4b',
    attack: '10k-token operation over WebSocket',
    run: (h) => op(h, `{ viewer { ${'a '.repeat(10_000)} } }`),
    expect: opFailed('QUERY_TOO_COMPLEX', 'tokens'),
  },
  {
    id: 'WS4c',
    attack: '50 aliases over WebSocket',
    run: (h) =>
      op(
        h,
        `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: financialAccount(id: "fca_Probe${i}") { id }`).join(' ')} }`,
      ),
    expect: opFailed('QUERY_TOO_COMPLEX', 'aliases'),
  },
  {
    id: 'WS4d',
    attack: 'over-cost operation over WebSocket (`first` via variables)',
    run: (h) =>
      op(
        h,
        'query($n: Int) { financialConnectionsSession(id: "fcsess_Probe1") { accounts(first: $n) { nodes { transactions(first: $n) { nodes { id } } } } } }',
        { variables: { n: 100 } },
      ),
    expect: opFailed('QUERY_TOO_COMPLEX', 'cost'),
  },
  {
    id: 'WS4e',
    attack: '60 directives over WebSocket',
    run: (h) => op(h, `{ viewer { ${'partnerId @include(if: true) '.repeat(60)} } }`),
    expect: opFailed('QUERY_TOO_COMPLEX', 'directives'),
  },
  {
    id: 'WS4f',
    attack: 'fragment fan-out over WebSocket',
    run: (h) => {
      const frags = Array.from(
        { length: 40 },
        (_, i) => `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }`,
      );
      return op(h, `{ viewer { ...F0 } } ${frags.join(' ')} fragment F40 on Viewer { partnerId }`);
    },
    expect: opFailed('QUERY_TOO_COMPLEX', 'cost'),
  },
  {
    id: 'WS4g',
    attack: 'introspection over WebSocket in production',
    on: 'prod',
    run: (h) => op(h, '{ __schema { types { name } } }', { gw: 'prod' }),
    expect: opFailed('INTROSPECTION_DISABLED'),
  },
  {
    id: 'WS4h',
    attack: 'field typo over WebSocket in production (no suggestions)',
    on: 'prod',
    run: (h) => op(h, '{ viewr { kind } }', { gw: 'prod' }),
    expect: (p) => {
      opFailed('GRAPHQL_VALIDATION_FAILED')(p);
      expect(asWs(p).text).not.toMatch(/Did you mean/);
    },
  },
  {
    id: 'WS4i',
    attack: 'operation without a query string',
    run: (h) =>
      wsSession(h.gw(), {
        awaitAck: true,
        frames: [init(PARTNER_A.apiKey), { type: 'subscribe', id: '1', payload: { query: 42 } }],
        until: settled('1'),
      }),
    expect: (p) => {
      const w: WsProbe = asWs(p);
      // graphql-ws itself refuses a malformed subscribe message: it closes with 4400 before anything executes.
      expect(w.closeCode).toBe(4400);
      expect(w.closeReason).toBe('Invalid message received');
      expect(w.messages.map((m) => m.type)).toEqual(['connection_ack']);
    },
  },
  {
    id: 'WS4k',
    attack: '40 KB query in a frame under 64 KiB (query length limit over WebSocket)',
    run: (h) => op(h, `{ viewer { partnerId } } # ${'x'.repeat(40 * 1024)}`),
    expect: opFailed('QUERY_TOO_COMPLEX', 'length'),
  },
  {
    id: 'WS4l',
    attack: '5000 invalid fields over WebSocket (token limit raised): at most 100 validation errors',
    on: 'wide',
    run: (h) =>
      wsSession(h.gw('wide'), {
        awaitAck: true,
        frames: [
          init(PARTNER_A.apiKey),
          subscribe('1', `{ ${Array.from({ length: 5000 }, (_, i) => `f${i}`).join(' ')} }`),
        ],
        until: settled('1'),
      }),
    expect: (p) => {
      const errors = wsErrors(asWs(p), '1');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.length).toBeLessThanOrEqual(101);
      expect(errors.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    },
  },
  {
    id: 'WS4j',
    attack: '21 concurrent subscriptions on one socket (limit 20)',
    needsTenants: true,
    // One lookup of the customer, shared by the 20 subscriptions admitted; the 21st is refused without one.
    stripeRequests: ['GET /v1/customers/{id}'],
    run: (h) => {
      const q = `subscription { financialAccountUpdated(customerId: "${h.tenants.a.customerId}") { type } }`;
      return wsSession(h.gw(), {
        awaitAck: true,
        frames: [init(PARTNER_A.apiKey), ...Array.from({ length: 21 }, (_, i) => subscribe(`s${i}`, q))],
        until: (m) => m.some((x) => x.type === 'error'),
      });
    },
    expect: (p) => {
      const w = asWs(p);
      const errored = w.messages.filter((m) => m.type === 'error');
      expect(errored.map((m) => m.id)).toEqual(['s20']);
      expect(wsErrors(w, 's20').map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    },
  },
  {
    id: 'WS6',
    attack: 'customer token expires while its subscription is open',
    needsTenants: true,
    // The customer is read once when the subscription starts; the expiry closes the socket without a call.
    stripeRequests: ['GET /v1/customers/{id}'],
    run: async (h) => {
      const token = await signToken({ sub: h.tenants.a.customerId }, { expSecondsFromNow: 2 });
      const q = `subscription { financialAccountUpdated(customerId: "${h.tenants.a.customerId}") { type } }`;
      return wsSession(h.gw(), { awaitAck: true, frames: [init(token), subscribe('1', q)] });
    },
    expect: (p) => {
      const w = asWs(p);
      expect(w.messages[0]?.type).toBe('connection_ack');
      expect(w.messages.filter((m) => m.type === 'error')).toEqual([]);
      expect(w.closeCode).toBe(4403);
    },
  },
];
