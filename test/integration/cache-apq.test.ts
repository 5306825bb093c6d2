// Automatic Persisted Queries through the gateway (Apollo's APQ, bounded cache): a hash alone works once registered.
import { createHash } from 'node:crypto';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const QUERY = '{ viewer { kind partnerId } }';
const sha256 = createHash('sha256').update(QUERY).digest('hex');

describe('Automatic Persisted Queries', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  beforeAll(async () => {
    sb = await startSandbox();
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: { code?: string; requestId?: string } }[];
      },
    };
  };
  const send = async (body: Record<string, unknown>) => (await post(body)).body;
  const apq = { persistedQuery: { version: 1, sha256Hash: sha256 } };

  it('should ask for the query on an unknown hash, register it with the query, then answer the hash alone', async () => {
    const unknown = await send({ extensions: apq });
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await send({ query: QUERY, extensions: apq });
    expect(registered.data).toEqual({ viewer: { kind: 'PARTNER', partnerId: PARTNER_A.partnerId } });
    const byHash = await send({ extensions: apq });
    expect(byHash).toEqual(registered);
  });

  it('should refuse a query whose hash does not match, with HTTP 400 and without running it', async () => {
    const { status, body: wrong } = await post({ query: '{ viewer { kind } }', extensions: apq });
    expect(status).toBe(400);
    expect(wrong.data).toBeUndefined();
    // Apollo's "provided sha does not match query" carries no code; the gateway names the client's mistake
    // (src/transport/graphql/error-masking.ts) instead of masking it as an internal error.
    expect(wrong.errors).toEqual([
      {
        message: 'The persisted query hash does not match the query (sha256 of the query text).',
        extensions: { code: 'BAD_USER_INPUT', requestId: expect.stringMatching(/^req_/) },
      },
    ]);
  });
});
