// One admission step on every path: a check planted once refuses on Apollo over HTTP, on the fast lane and on graphql-ws.
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { AdmissionCheck } from '../../src/transport/graphql/admission/operation-checks';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { subscribe, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

/** A query that reads from Stripe (the partner's customers), so a refusal that came too late would show. */
const QUERY = 'query PlantedCustomers($first: Int) { customers(first: $first) { edges { node { id } } } }';
const MESSAGE = 'This operation was refused by the planted admission check.';

/** The planted check: refuses every operation of partner B, admits everyone else. */
const planted: AdmissionCheck = {
  name: 'planted',
  prepare: () => (_variables, caller) =>
    caller.partnerId === PARTNER_B.partnerId
      ? new GraphQLError(MESSAGE, { extensions: { code: 'FORBIDDEN', check: 'planted' } })
      : null,
};

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('admission', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  beforeAll(async () => {
    sb = await startSandbox();
    gw = await startGateway(
      { STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey },
      { admissionChecks: [planted] },
    );
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  const post = async (
    apiKey: string,
    body: Record<string, unknown>,
    requestId = `req_admission_${Math.random().toString(36).slice(2)}`,
  ): Promise<Answer> => {
    const res = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), text, body: JSON.parse(text) };
  };

  /** graphql_operations_total{outcome="rejected", name="anonymous"|…} summed over types. */
  const rejected = async () =>
    (await gw.gateway.metrics.graphqlOperations.get()).values
      .filter((v) => v.labels.outcome === 'rejected')
      .reduce((sum, v) => sum + v.value, 0);

  describe('a planted check', () => {
    const lane = () => gw.gateway.fastLane!.stats;
    let apolloAnswer: Answer;
    /** Partner A's answer over HTTP, for the WebSocket comparison. */
    let partnerAData: unknown;

    it('should refuse on Apollo Server over HTTP (a document not yet warm) before any Stripe request', async () => {
      const stripe = gw.stripeRequests();
      const { served, refused } = lane();
      const before = await rejected();
      apolloAnswer = await post(
        PARTNER_B.apiKey,
        { query: QUERY, variables: { first: 3 } },
        'req_planted_0001',
      );
      expect(apolloAnswer.status).toBe(400);
      expect(apolloAnswer.body).toEqual({
        errors: [
          {
            message: MESSAGE,
            extensions: { code: 'FORBIDDEN', check: 'planted', requestId: 'req_planted_0001' },
          },
        ],
      });
      expect(lane()).toMatchObject({ served, refused }); // Apollo answered, not the lane
      expect(gw.stripeRequests()).toBe(stripe);
      expect(await rejected()).toBe(before + 1);
    });

    it('should refuse on the fast lane (a warm operation) with the same status, headers and bytes', async () => {
      // Partner A is admitted: the first request goes through Apollo and warms the document, the second is the lane's.
      const first = await post(PARTNER_A.apiKey, { query: QUERY, variables: { first: 3 } });
      expect(first.body.errors).toBeUndefined();
      partnerAData = first.body.data;
      const served = lane().served;
      const second = await post(PARTNER_A.apiKey, { query: QUERY, variables: { first: 3 } });
      expect(second.body).toEqual(first.body);
      expect(lane().served).toBe(served + 1);

      const stripe = gw.stripeRequests();
      const refused = lane().refused;
      const before = await rejected();
      const onLane = await post(
        PARTNER_B.apiKey,
        { query: QUERY, variables: { first: 3 } },
        'req_planted_0001',
      );
      expect(lane().refused).toBe(refused + 1);
      expect(onLane.status).toBe(apolloAnswer.status);
      expect(onLane.contentType).toBe(apolloAnswer.contentType);
      expect(onLane.text).toBe(apolloAnswer.text);
      expect(gw.stripeRequests()).toBe(stripe);
      expect(await rejected()).toBe(before + 1);
    });

    it('should refuse on graphql-ws with the same code and message, and admit the other partner', async () => {
      const stripe = gw.stripeRequests();
      const refusedClient = wsClient(gw, PARTNER_B.apiKey);
      const admittedClient = wsClient(gw, PARTNER_A.apiKey);
      try {
        const errors = await subscribe(refusedClient, QUERY, { first: 3 }).refused();
        expect(errors).toEqual([
          {
            message: MESSAGE,
            extensions: { code: 'FORBIDDEN', check: 'planted', requestId: expect.stringMatching(/^ws_/) },
          },
        ]);
        expect(gw.stripeRequests()).toBe(stripe);
        const data = await subscribe(admittedClient, QUERY, { first: 3 }).next();
        expect(data).toEqual(partnerAData);
      } finally {
        await refusedClient.dispose();
        await admittedClient.dispose();
      }
    });
  });

  describe('the order of the steps', () => {
    /** A gateway whose callers may run 3 operations a minute, with the planted check. */
    let limited: StartedGateway;
    beforeAll(async () => {
      limited = await startGateway(
        { STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey, RATE_LIMIT_PER_MINUTE: '3' },
        { admissionChecks: [planted] },
      );
    });
    afterAll(async () => {
      await limited?.close();
    });

    const postTo = async (apiKey: string, query: string) => {
      const res = await fetch(limited.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query, variables: { first: 3 } }),
      });
      const body = (await res.json()) as Answer['body'];
      return { status: res.status, errors: body.errors };
    };
    const overWs = async (apiKey: string, query: string) => {
      const client = wsClient(limited, apiKey);
      try {
        return await subscribe(client, query, { first: 3 }).refused();
      } finally {
        await client.dispose();
      }
    };
    const codeAndMessage = (
      errors: readonly { message: string; extensions?: Record<string, unknown> }[] = [],
    ) => errors.map((e) => [e.extensions?.code, e.message]);
    const RATE_LIMITED = [
      ['RATE_LIMITED', expect.stringMatching(/^Too many requests; retry after \d+ s\.$/)],
    ];
    const PLANTED = [['FORBIDDEN', MESSAGE]];

    it('should take the rate limit before the operation checks, on each path', async () => {
      const other = `${QUERY} `; // the same operation, another document text: cold, so Apollo answers it
      // Partner A warms QUERY for the lane (A's own budget).
      await postTo(PARTNER_A.apiKey, QUERY);
      await postTo(PARTNER_A.apiKey, QUERY);
      const lane = limited.gateway.fastLane!.stats;

      // Partner B's three operations of the minute: each admitted by the rate limit, refused by the planted check.
      const refusedBefore = lane.refused;
      const apollo = await postTo(PARTNER_B.apiKey, other);
      expect([apollo.status, codeAndMessage(apollo.errors)]).toEqual([400, PLANTED]);
      const onLane = await postTo(PARTNER_B.apiKey, QUERY);
      expect([onLane.status, codeAndMessage(onLane.errors)]).toEqual([400, PLANTED]);
      expect(lane.refused).toBe(refusedBefore + 1);
      expect(codeAndMessage(await overWs(PARTNER_B.apiKey, QUERY))).toEqual(PLANTED);

      // The fourth: the rate limit answers first, whichever path.
      const apolloLimited = await postTo(PARTNER_B.apiKey, `${other} `);
      expect([apolloLimited.status, codeAndMessage(apolloLimited.errors)]).toEqual([429, RATE_LIMITED]);
      const laneLimited = await postTo(PARTNER_B.apiKey, QUERY);
      expect([laneLimited.status, codeAndMessage(laneLimited.errors)]).toEqual([429, RATE_LIMITED]);
      expect(lane.refused).toBe(refusedBefore + 1);
      expect(codeAndMessage(await overWs(PARTNER_B.apiKey, QUERY))).toEqual(RATE_LIMITED);
    });
  });

  describe('persisted queries', () => {
    const text = '{ viewer { kind partnerId } }';
    const hash = createHash('sha256').update(text).digest('hex');
    const apq = { persistedQuery: { version: 1, sha256Hash: hash } };

    it('should answer a hash registered over HTTP on graphql-ws, and refuse an unknown one as HTTP does', async () => {
      const client = wsClient(gw, PARTNER_A.apiKey);
      try {
        const unknownHash = createHash('sha256').update('{ viewer { kind } }').digest('hex');
        const http = await post(PARTNER_A.apiKey, {
          extensions: { persistedQuery: { version: 1, sha256Hash: unknownHash } },
        });
        const ws = await new Promise<readonly unknown[]>((resolve) =>
          client.subscribe(
            { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: unknownHash } } },
            { next: () => undefined, error: (e) => resolve(e as unknown[]), complete: () => undefined },
          ),
        );
        expect(ws).toEqual([
          {
            message: http.body.errors?.[0].message,
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', requestId: expect.stringMatching(/^ws_/) },
          },
        ]);

        const registered = await post(PARTNER_A.apiKey, { query: text, extensions: apq });
        expect(registered.body.data).toEqual({ viewer: { kind: 'PARTNER', partnerId: PARTNER_A.partnerId } });
        const data = await new Promise<unknown>((resolve, reject) =>
          client.subscribe(
            { query: '', extensions: apq },
            { next: (v) => resolve(v.data), error: reject, complete: () => undefined },
          ),
        );
        expect(data).toEqual(registered.body.data);
      } finally {
        await client.dispose();
      }
    });
  });
});
