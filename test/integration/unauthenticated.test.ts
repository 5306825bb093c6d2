// What a caller without a valid credential reads: the gateway's 401 message, word for word.
import { startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

let sandbox: StartedSandbox;
let gateway: StartedGateway;

beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startGateway({ STRIPE_API_BASE: sandbox.url });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

describe('HTTP 401', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong key', { authorization: 'Bearer not_a_partner_key_0123' }],
    ['no Bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('answers %s with the exact, unredacted message', async (_case, headers) => {
    const res = await gql(gateway.graphqlUrl, '{ viewer { kind } }', undefined, { headers });
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([
      {
        message: 'A valid Authorization: Bearer credential is required.',
        extensions: { code: 'UNAUTHENTICATED', requestId: expect.any(String) },
      },
    ]);
  });
});
