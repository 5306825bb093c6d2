// The graphql-jit gateway executor gives Apollo the same responses as Apollo's own execution (errors, masking, status).
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import {
  GraphQLError,
  GraphQLSchema,
  GraphQLObjectType,
  GraphQLString,
  GraphQLNonNull,
  GraphQLInt,
  GraphQLList,
  GraphQLInterfaceType,
  GraphQLID,
} from 'graphql';
import { compileQuery } from 'graphql-jit';
import { createJitGateway } from '../../src/transport/graphql/executor';

// The real compiler, counted: the executor's cache is what keeps a repeated document from being compiled again.
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof import('graphql-jit')>('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});
const compilations = compileQuery as jest.MockedFunction<typeof compileQuery>;

const Node = new GraphQLInterfaceType({
  name: 'Node',
  fields: { id: { type: new GraphQLNonNull(GraphQLID) } },
  resolveType: (v: { kind: string }) => (v.kind === 'a' ? 'Account' : 'Customer'),
});
const Account = new GraphQLObjectType({
  name: 'Account',
  interfaces: [Node],
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    last4: { type: GraphQLString },
    balance: {
      type: GraphQLInt,
      resolve: (a: { id: string }) => {
        if (a.id === 'fca_denied') {
          throw new GraphQLError('The balances permission was not granted.', {
            extensions: { code: 'PERMISSION_NOT_GRANTED', permission: 'balances' },
          });
        }
        return 100;
      },
    },
    secret: {
      type: GraphQLString,
      resolve: () => {
        throw new Error('sk_test_leak in an unexpected error');
      },
    },
  },
});
const Customer = new GraphQLObjectType({
  name: 'Customer',
  interfaces: [Node],
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    accounts: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Account))),
      resolve: async () => [
        { id: 'fca_1', last4: '6789' },
        { id: 'fca_denied', last4: '0000' },
      ],
    },
    required: { type: new GraphQLNonNull(GraphQLString), resolve: () => null },
  },
});
const schema = new GraphQLSchema({
  types: [Account, Customer],
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      node: {
        type: Node,
        args: { id: { type: new GraphQLNonNull(GraphQLID) } },
        resolve: (_r, { id }: { id: string }) => ({
          id,
          kind: id.startsWith('fca') ? 'a' : 'c',
          last4: '1111',
        }),
      },
      customer: { type: Customer, resolve: async () => ({ id: 'cus_1' }) },
      viewer: { type: GraphQLString, resolve: (_r, _a, ctx: { who: string }) => ctx.who },
    },
  }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: {
      bump: {
        type: GraphQLInt,
        args: { by: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: (_r, { by }: { by: number }) => by + 1,
      },
    },
  }),
});

/** Masks what is not a deliberate (coded) error, as the gateway's formatError does. */
const formatError = (
  formatted: { message: string; extensions?: Record<string, unknown> },
  error: unknown,
) => {
  const original = (error as { originalError?: unknown })?.originalError;
  const code = formatted.extensions?.code;
  if (original && !(original instanceof GraphQLError) && code === 'INTERNAL_SERVER_ERROR') {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return formatted;
};

const plain = new ApolloServer<{ who: string }>({ schema, formatError });
const jit = new ApolloServer<{ who: string }>({ gateway: createJitGateway(schema), formatError });

beforeAll(async () => {
  await plain.start();
  await jit.start();
});
afterAll(async () => {
  await plain.stop();
  await jit.stop();
});

async function both(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const run = async (server: ApolloServer<{ who: string }>) => {
    const r: GraphQLResponse = await server.executeOperation(
      { query, variables, operationName },
      { contextValue: { who: 'partner_a' } },
    );
    return { status: r.http.status, body: r.body };
  };
  return {
    plain: await run(plain),
    jit: await run(jit),
  };
}

const cases: [string, string, Record<string, unknown>?, string?][] = [
  [
    'a query with context, aliases and an interface',
    '{ viewer n: node(id: "fca_9") { id ... on Account { last4 } } c: node(id: "cus_2") { __typename id } }',
  ],
  ['a coded error in a list item, next to data', '{ customer { id accounts { id balance } } }'],
  ['an unexpected error, masked', '{ customer { accounts { id secret } } }'],
  ['a null in a non-null field bubbling up', '{ customer { id required } }'],
  ['a mutation with variables', 'mutation M($by: Int!) { bump(by: $by) }', { by: 41 }],
  [
    'a variable of the wrong type (HTTP 400)',
    'query Q($id: ID!) { node(id: $id) { id } }',
    { id: { not: 'an id' } },
  ],
  ['a missing required variable', 'query Q($id: ID!) { node(id: $id) { id } }', {}],
  ['a chosen operation of several', 'query A { viewer } query B { customer { id } }', undefined, 'B'],
  ['an unknown operation name', 'query A { viewer }', undefined, 'Nope'],
  ['introspection', '{ __schema { queryType { name } } __type(name: "Account") { name } }'],
  ['a validation error', '{ customer { nope } }'],
];

describe('createJitGateway', () => {
  describe('executor', () => {
    it.each(cases)('should answer %s exactly as graphql-js does', async (...row) => {
      const [, query, variables, operationName] = row;
      const r = await both(query, variables, operationName);
      expect(r.jit).toEqual(r.plain);
    });

    it('should compile a document once per operation, and reuse it for later requests and other variables', async () => {
      compilations.mockClear();
      const first = await both('{ customer { id } }');
      const again = await both('{ customer { id } }');
      expect(compilations).toHaveBeenCalledTimes(1);
      expect(again.jit).toEqual(first.jit);
      expect(first.jit.body).toEqual(first.plain.body);

      const bump = 'mutation Reuse($by: Int!) { bump(by: $by) }';
      const one = await both(bump, { by: 1 });
      const two = await both(bump, { by: 2 });
      expect(compilations).toHaveBeenCalledTimes(2);
      expect([one.jit.body, two.jit.body]).toEqual([one.plain.body, two.plain.body]);

      // Each operation of a document is its own compiled query.
      const doc = 'query First { viewer } query Second { customer { id } }';
      await both(doc, undefined, 'First');
      await both(doc, undefined, 'Second');
      await both(doc, undefined, 'First');
      expect(compilations).toHaveBeenCalledTimes(4);
    });
  });
});
